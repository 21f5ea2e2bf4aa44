"""An HR export as HR systems write it, read for the job-title assistant: real CSV files and workbooks, through
the reader and through ``effectifs rapprocher``. Nothing is lost without a word: a line is counted, refused
with its line number, or left out with an information line."""

import openpyxl
import pytest
from click.testing import CliRunner

from pipeline.check.export import export_titles
from pipeline.cli import main
from pipeline.core.errors import UserError
from pipeline.read.export import export_sheets
from tests.conftest import demo_root

EXIT_CONFIG, EXIT_INTERNAL = 3, 4


def read(path, title_column=None, count_column=None):
    return export_titles(export_sheets(path), path.name, title_column, count_column)


def csv_file(tmp_path, lines, name="export.csv"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def xlsx_file(tmp_path, rows, name="export.xlsx"):
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(tmp_path / name)
    return tmp_path / name


def rapprocher(root, export, *options):
    return CliRunner().invoke(main, ["--racine", str(root), "rapprocher", str(export), "--societe", "acta",
                                     *options], prog_name="effectifs")


def people(read_export):
    return int(read_export.titles["effectif"].sum())


def test_a_line_with_people_but_no_title_is_refused_with_its_line(tmp_path):
    path = csv_file(tmp_path, ["Intitulé de poste;Effectif", "Secrétaire;3", "", ";4", ";0", "Comptable;2"])
    with pytest.raises(UserError) as refused:
        read(path)
    assert refused.value.details == ["ligne 4 : 4 personnes sans intitulé de poste — écrivez l'intitulé, ou "
                                     "retirez la ligne si ces personnes ne sont pas à compter"]
    per_employee = csv_file(tmp_path, ["Matricule;Intitulé de poste", "A1;Secrétaire", "A2;"], "salaries.csv")
    with pytest.raises(UserError) as refused:
        read(per_employee)
    assert refused.value.details == ["ligne 3 : 1 personne sans intitulé de poste — écrivez l'intitulé, ou retirez la "
                                     "ligne si cette personne n'est pas à compter"]


def test_an_empty_headcount_is_missing_not_unreadable(tmp_path):
    path = csv_file(tmp_path, ["Intitulé de poste;Effectif", "Comptable;2", "", "Secrétaire;", "Juriste;1,5"])
    with pytest.raises(UserError) as refused:
        read(path)
    assert str(refused.value).startswith("Export export.csv : 2 lignes à corriger")
    assert refused.value.details == ["ligne 4 : effectif manquant pour « Secrétaire »",
                                     "ligne 5 : effectif 1,5 pour « Juriste » (un nombre entier de personnes)"]


def test_a_total_line_is_left_out_and_said(tmp_path):
    rows = [["Intitulé de poste", "Effectif"], ["Comptable", 120], ["Secrétaire", 89], ["Total", 211]]
    done = read(xlsx_file(tmp_path, rows))
    assert people(done) == 209 and "Total" not in set(done.titles["intitule"])
    assert done.notes == ["ligne 4 « Total » (211) laissée de côté : c'est un total ; il diffère de la somme "
                          "des autres lignes (209)"]
    rows[-1] = ["TOTAL GÉNÉRAL", 209]
    done = read(xlsx_file(tmp_path, rows))
    assert people(done) == 209 and done.notes == ["ligne 4 « TOTAL GÉNÉRAL » (209) laissée de côté : c'est un total"]
    per_employee = csv_file(tmp_path, ["Intitulé de poste", "Comptable", "Comptable", "Total :"], "salaries.csv")
    done = read(per_employee)
    assert people(done) == 2 and done.notes == ["ligne 4 « Total : » laissée de côté : c'est un total"]


def test_the_command_says_what_it_left_out(campaign, tmp_path):
    root = demo_root(tmp_path / "racine")
    export = xlsx_file(tmp_path, [["Intitulé de poste", "Effectif"], ["Comptable", 120], ["Secrétaire", 91],
                                  ["Total", 211]])
    out = rapprocher(root, export)
    assert out.exit_code == 0, out.output
    assert "Export export.xlsx : ligne 4 « Total » (211) laissée de côté : c'est un total" in out.output
    assert "2 intitulés distincts, 211 personnes" in out.output


def test_an_export_with_only_its_header_is_a_clear_refusal(campaign, tmp_path):
    root = demo_root(tmp_path / "racine")
    for export in (csv_file(tmp_path, ["Intitulé de poste;Effectif"]),
                   xlsx_file(tmp_path, [["Intitulé de poste", "Effectif"], ["Total", 0]])):
        out = rapprocher(root, export)
        assert out.exit_code == EXIT_CONFIG, out.output
        assert f"Export {export.name} : aucun intitulé de poste sous l'en-tête (ligne 1)" in out.stderr
        assert "Erreur interne" not in out.output + out.stderr


# --- the headcount column ------------------------------------------------------------------------------

@pytest.mark.parametrize("heading", ["Effectif au 01/07/2027", "Nb salariés", "Nb de salariés", "NOMBRE DE PERSONNES",
                                     "Nombre de collaborateurs", "Total", "Effectifs", "Nb", "Headcount",
                                     "Nombre de salariés", "nb. d'employés"])
def test_the_common_names_of_a_headcount_column_are_recognised(tmp_path, heading):
    path = csv_file(tmp_path, [f"Intitulé de poste;{heading}", "Comptable;120", "Secrétaire;91"])
    assert people(read(path)) == 211


def test_a_column_of_numbers_not_named_as_a_headcount_is_refused_not_ignored(campaign, tmp_path):
    root = demo_root(tmp_path / "racine")
    export = csv_file(tmp_path, ["Intitulé de poste;Service;Salariés présents", "Comptable;Finance;120",
                                 "Secrétaire;Direction;91", "Juriste;Direction;"])
    out = rapprocher(root, export)
    assert out.exit_code == EXIT_CONFIG, out.output
    assert ("Export export.csv : la colonne « Salariés présents » contient des nombres, mais son nom ne dit pas que "
            "c'est l'effectif") in out.stderr
    assert '--colonne-effectif "Salariés présents"' in out.stderr and "--par-salarie" in out.stderr
    out = rapprocher(root, export, "--colonne-effectif", "Salariés présents")
    assert out.exit_code == EXIT_CONFIG and "ligne 4 : effectif manquant pour « Juriste »" in out.stderr, out.output
    out = rapprocher(root, export, "--par-salarie")
    assert out.exit_code == 0 and "3 intitulés distincts, 3 personnes" in out.output, out.output
    out = rapprocher(root, export, "--par-salarie", "--colonne-effectif", "Salariés présents")
    assert out.exit_code == EXIT_CONFIG and "s'excluent" in out.stderr, out.output


def test_an_fte_column_is_no_headcount(tmp_path):
    path = xlsx_file(tmp_path, [["Intitulé de poste", "ETP"], ["Comptable", 118.5], ["Secrétaire", 90]])
    with pytest.raises(UserError) as refused:
        read(path)
    assert str(refused.value).startswith("Export export.xlsx : la colonne « ETP » donne des équivalents temps plein "
                                         "(ETP), pas des personnes")
    assert "--par-salarie" in refused.value.details[1] and "temps de travail" in refused.value.details[1]
    with pytest.raises(UserError, match="« ETP » donne des équivalents temps plein"):
        read(path, count_column="ETP")
    both = xlsx_file(tmp_path, [["Intitulé de poste", "Effectif en ETP", "Effectif"], ["Comptable", 118.5, 120]],
                     "both.xlsx")
    assert people(read(both)) == 120


def test_several_headcount_columns_are_not_guessed(tmp_path):
    path = csv_file(tmp_path, ["Intitulé de poste;Effectif hommes;Effectif femmes;Total", "Comptable;20;100;120"])
    with pytest.raises(UserError, match="plusieurs colonnes peuvent donner l'effectif : « Effectif hommes », "
                                        "« Effectif femmes », « Total »"):
        read(path)
    assert people(read(path, count_column="total")) == 120


def test_identifiers_and_unnamed_columns_of_numbers(tmp_path):
    per_employee = csv_file(tmp_path, ["Matricule;Intitulé de poste;N°;Date d'entrée", "1041;Comptable;7;2019",
                                       "1042;Comptable;8;2021"])
    assert people(read(per_employee)) == 2
    unnamed = csv_file(tmp_path, ["Intitulé de poste;", "Comptable;120", "Secrétaire;91"], "sans_nom.csv")
    with pytest.raises(UserError, match="la colonne n° 2, sans nom, contient des nombres"):
        read(unnamed)


# --- where the header is ---------------------------------------------------------------------------------

def test_title_lines_above_the_header_are_left_out_and_said(tmp_path):
    path = csv_file(tmp_path, ["Export SIRH — effectifs au 01/07/2027, société Acta", "Édité le 02/07/2027", "",
                               "Intitulé de poste;Effectif", "Comptable;120", "Secrétaire;91"])
    done = read(path)
    assert done.titles.set_index("intitule")["effectif"].to_dict() == {"Comptable": 120, "Secrétaire": 91}
    assert done.notes == ["en-tête lu à la ligne 4 : les lignes au-dessus sont laissées de côté"]
    path.write_text(path.read_text(encoding="utf-8") + "Juriste;\n", encoding="utf-8")
    with pytest.raises(UserError, match="ligne 7 : effectif manquant pour « Juriste »"):
        read(path)


def test_the_data_on_a_sheet_after_a_summary(campaign, tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Sommaire"
    wb.active.append(["Export des effectifs au 01/07/2027"])
    wb.active.append(["Feuille", "Contenu"])
    wb.active.append(["Effectifs", "un intitulé par ligne"])
    data = wb.create_sheet("Effectifs")
    for row in [["Effectifs par poste"], ["Poste", "Nb de salariés"], ["Comptable", 120], ["Secrétaire", 91]]:
        data.append(row)
    wb.save(tmp_path / "sirh.xlsx")
    out = rapprocher(demo_root(tmp_path / "racine"), tmp_path / "sirh.xlsx")
    assert out.exit_code == 0, out.output
    assert ("Export sirh.xlsx : en-tête lu à la ligne 2 de la feuille « Effectifs » : la ligne au-dessus est "
            "laissée de côté") in out.output
    assert ("Export sirh.xlsx : seule la feuille « Effectifs » est lue ; autre feuille laissée de côté : "
            "« Sommaire »") in out.output
    assert "2 intitulés distincts, 211 personnes" in out.output


def test_no_header_says_where_it_is_looked_for(tmp_path):
    path = csv_file(tmp_path, ["Métier;Effectif", "Comptable;120"])
    with pytest.raises(UserError) as refused:
        read(path)
    assert refused.value.details[0] == "colonnes présentes : Métier, Effectif"
    assert ("l'en-tête (la ligne des noms de colonnes) est cherché dans les 20 premières lignes non vides de chaque "
            "feuille") in refused.value.details


def test_a_headcount_column_given_that_is_not_there(tmp_path):
    path = csv_file(tmp_path, ["Intitulé de poste;Effectif", "Comptable;120"])
    with pytest.raises(UserError) as refused:
        read(path, count_column="Effectif au 31/12")
    assert str(refused.value).startswith("Export export.csv : colonne « Effectif au 31/12 » introuvable")
    assert refused.value.details == ["colonnes présentes : Intitulé de poste, Effectif"]
