"""The job-title lexicon that learns: a company's validated review (effectifs remplir) feeds the suggestions for
every other company, and the observatory reviews the lexicon as a workbook and loads it back. End to end
through the command, on real files filled with openpyxl as HR and the observatory would."""

import sqlite3

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from pipeline.api import Project
from pipeline.cli import main
from pipeline.compute.evaluation import EMPTY_HISTORY
from pipeline.compute.lexicon import decisions, effective, entries
from pipeline.compute.matching import Matcher
from pipeline.core.form import (COL_KEPT, LEXICON_HEADER_ROW, LEXICON_HEADINGS, PROP_LEXICON, REVIEW_HEADER_ROW,
                                SHEET_LEXICON, SHEET_REVIEW)
from pipeline.core.texts import matching as M
from pipeline.core.nomenclature import load_nomenclature
from pipeline.core.titles import load_abbreviations, load_starter_lexicon
from pipeline.store import history
from pipeline.store import lexicon as stored
from tests.conftest import demo_root

# Company A validates its review; company B's titles are written otherwise, some the same once read.
EXPORT_A = {"CDA N1 - Plateau Auto": (20, "0102"), "CDA N2 - Plateau Auto": (12, "0102"), "Chef de salle": (3, "0103"),
            "Médecin régul.": (2, "0201"), "Gest. paie - DRH": (1, "0801"), "Hôtesse standard": (2, "0101-1"),
            "Gestionnaire sinistres": (4, "0401"), "Acheteur": (1, "NV"), "Coordinatrice flux": (1, "0302")}
EXPORT_B = {"CDA N3 - Plateau Auto": 8, "Chef de salle": 1, "Chef de salle de nuit": 2, "Gestionnaire sinistres": 3,
            "Acheteuse": 1, "Comptable": 2, "Coordinateur flux": 1, "Jardinier": 1}
LEARNED_B = {"CDA N3 - Plateau Auto": "0102", "Chef de salle": "0103", "Gestionnaire sinistres": "0401", "Acheteuse": "NV",
             "Coordinateur flux": "0302"}


def run(root, *args):
    demo_root(root)  # the embedded 2007 campaign is the one used without -c only in the demo's folder
    result = CliRunner().invoke(main, ["--racine", str(root), *args], prog_name="effectifs")
    assert result.exit_code in (0, 1), result.output + result.stderr
    return result


def write_exports(root):
    a = root / "export_a.csv"
    a.write_text("Intitulé de poste;Effectif\n" + "".join(f"{t};{n}\n" for t, (n, _) in EXPORT_A.items()),
                 encoding="utf-8")
    wb = openpyxl.Workbook()
    wb.active.append(["Poste", "Nombre"])
    for title, n in EXPORT_B.items():
        wb.active.append([title, n])
    b = root / "export_b.xlsx"
    wb.save(b)
    return a, b


def review_rows(path):
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_REVIEW]
    return wb, {r[0].value: r for r in ws.iter_rows(min_row=REVIEW_HEADER_ROW + 2)}


def suggest_b(root, export_b):
    run(root, "suggest", str(export_b), "--societe", "ima", "--colonne-intitule", "Poste", "--colonne-effectif",
        "Nombre")
    return review_rows(root / "outputs/2007/rapprochements/revue_ima.xlsx")[1]


@pytest.fixture
def learned(tmp_path):
    """Company B's review before and after company A validated its own."""
    export_a, export_b = write_exports(tmp_path)
    before = {t: (r[COL_KEPT].value, r[2].value, r[6].value) for t, r in suggest_b(tmp_path, export_b).items()}
    run(tmp_path, "suggest", str(export_a), "--societe", "acta")
    path = tmp_path / "outputs/2007/rapprochements/revue_acta.xlsx"
    wb, rows = review_rows(path)
    for title, (_, code) in EXPORT_A.items():           # HR confirm or correct every row
        rows[title][COL_KEPT].value = code
    wb.save(path)
    filled = run(tmp_path, "remplir", str(path))
    after = suggest_b(tmp_path, export_b)
    return tmp_path, before, after, filled


def test_a_validated_review_teaches_the_suggestions_for_another_company(learned):
    root, before, after, filled = learned
    assert "contrôle : accepté" in filled.output
    assert f"Lexique : {len(EXPORT_A)} intitulés confirmés enregistrés pour acta" in filled.output
    for title, code in LEARNED_B.items():
        assert not before[title][0], title                                  # not pre-filled before,
        assert after[title][COL_KEPT].value == code, title                   # pre-filled after…
        assert "validé par 1 société en 2007" in after[title][5].value, after[title][5].value  # …and why
    assert after["Chef de salle de nuit"][2].value == "0103" and not after["Chef de salle de nuit"][6].value
    assert not after["Jardinier"][2].value and after["Jardinier"][6].value == M.MATCH_NONE
    confident_before = sum(not v[2] for v in before.values())
    confident_after = sum(not r[6].value for r in after.values())
    assert confident_after >= confident_before + 4, (confident_before, confident_after)
    lexicon = Project(root).lexicon().set_index("intitule")
    assert lexicon.loc["Chef de salle", "societes"] == 1 and lexicon.loc["Chef de salle", "campagnes"] == "2007"


def test_a_second_company_confirming_a_title_is_counted(learned):
    root = learned[0]
    path = root / "outputs/2007/rapprochements/revue_ima.xlsx"
    wb, rows = review_rows(path)
    codes = {"Comptable": "0903", "Jardinier": "NV", "Chef de salle de nuit": "0103"}
    for title, row in rows.items():
        row[COL_KEPT].value = row[COL_KEPT].value or codes[title]
    wb.save(path)
    run(root, "remplir", str(path))
    p = Project(root).matcher(Project(root).campaign("2007")).propose("Chef de salle")
    assert p.strong and "validé par 2 sociétés en 2007" in p.why


def test_a_rejected_template_teaches_nothing(tmp_path):
    export = tmp_path / "export.csv"
    export.write_text("Intitulé de poste;Effectif\nComptable;200000\n", encoding="utf-8")
    run(tmp_path, "suggest", str(export), "--societe", "acta")
    path = tmp_path / "outputs/2007/rapprochements/revue_acta.xlsx"
    wb, rows = review_rows(path)
    rows["Comptable"][COL_KEPT].value = "0903"
    wb.save(path)
    result = run(tmp_path, "remplir", str(path))
    assert "rejeté" in result.output and "rien d'enregistré" in result.output
    assert not (Project(tmp_path).lexicon()["societes"] > 0).any()


def lexicon_rows(path):
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_LEXICON]
    return wb, ws, {r[0].value: r for r in ws.iter_rows(min_row=LEXICON_HEADER_ROW + 2) if r[0].value}


def test_the_observatory_reviews_and_loads_the_lexicon(learned):
    root = learned[0]
    path = root / "lexique.xlsx"
    result = run(root, "lexique", "--export", str(path))
    assert "Lexique exporté" in result.output
    wb, ws, rows = lexicon_rows(path)
    assert wb.custom_doc_props[PROP_LEXICON].value == "1"
    assert [c.value for c in ws[LEXICON_HEADER_ROW + 1]] == LEXICON_HEADINGS
    assert len(rows) == len(Project(root).lexicon())
    assert rows["Chef de salle"][3].value == M.LEXICON_SOURCES["revue"] and rows["Chef de salle"][4].value == 1
    assert rows["Réceptionniste"][3].value == M.LEXICON_SOURCES["départ"]
    rows["Gestionnaire sinistres"][1].value = 402              # corrected, typed as a number
    rows["Acheteur"][7].value = M.DECISION_DELETE                # withdrawn: a company's validation…
    rows["Réceptionniste"][7].value = M.DECISION_DELETE          # …and a proposal of the starter lexicon
    free = ws.max_row + 1
    ws.cell(free, 1, "Régulateur de flux")                       # added below the last line
    ws.cell(free, 2, "9999")
    wb.save(path)
    refused = CliRunner().invoke(main, ["--racine", str(root), "lexique", "--charger", str(path)],
                                 prog_name="effectifs")
    assert refused.exit_code == 3 and "code « 9999 » inconnu" in refused.stderr
    ws.cell(free, 2, "302")
    wb.save(path)
    result = run(root, "lexique", "--charger", str(path))
    assert "2 intitulés placés (ajouts ou corrections), 3 lignes retirées" in result.output
    lexicon = Project(root).lexicon()
    by_title = lexicon.groupby("intitule")["cle"].apply(list).to_dict()
    assert by_title["Gestionnaire sinistres"] == ["0402"] and by_title["Régulateur de flux"] == ["0302"]
    assert "Acheteur" not in by_title and "Réceptionniste" not in by_title
    p = Project(root).matcher(Project(root).campaign("2007")).propose("Gestionnaire sinistres")
    assert (p.code, p.strong) == ("0402", True) and "validé par l'Observatoire" in p.why
    again = run(root, "lexique", "--charger", str(path))             # loading twice changes nothing more
    assert Project(root).lexicon().equals(lexicon), again.output


def test_the_observatory_has_the_last_word():
    starter = pd.DataFrame({"intitule": ["Réceptionniste", "Comptable"], "cle": ["0101-1", "0903"]})
    companies = pd.concat([entries(pd.DataFrame({"intitule": ["Acheteur", "Comptable"], "cle": ["NV", "0904"]}),
                                   "acta", "2026", "t"),
                           entries(pd.DataFrame({"intitule": ["Comptable"], "cle": ["0903"]}), "ima", "2026", "t")])
    observatory = decisions(pd.DataFrame({"intitule": ["Acheteur", "Comptable", "Réceptionniste"],
                                          "cle": ["NV", "0903", "0101-1"],
                                          "statut": ["retiré", "valide", "retiré"]}), "t")
    both = effective(starter, pd.concat([companies, observatory], ignore_index=True))
    assert both[["intitule", "cle"]].values.tolist() == [["Comptable", "0903"]]
    row = both.iloc[0]
    assert (row["depart"], row["observatoire"], row["societes"], row["campagnes"]) == (True, True, 1, "2026")
    without = effective(starter, companies)
    assert len(without) == 4 and set(without.loc[without["intitule"] == "Comptable", "cle"]) == {"0903", "0904"}


def test_a_company_validating_a_title_again_replaces_its_code(tmp_path):
    conn = history.connect(tmp_path / "h.sqlite")
    for code in ("0103", "0102"):
        stored.record_review(conn, entries(pd.DataFrame({"intitule": ["Chef de salle"], "cle": [code]}), "acta",
                                           "2026", "t"))
    stored.record_review(conn, entries(pd.DataFrame({"intitule": ["Chef de salle"], "cle": ["0103"]}), "ima",
                                       "2026", "t"))
    rows = stored.recorded(conn)
    assert rows[["societe", "cle"]].values.tolist() == [["acta", "0102"], ["ima", "0103"]]


def test_the_history_has_the_lexicon_table(tmp_path):
    conn = history.connect(tmp_path / "h.sqlite")
    columns = [r[1] for r in conn.execute("PRAGMA table_info(lexicon)")]
    assert columns == ["id", "title", "key", "company_id", "campaign_id", "source", "status", "recorded_at"]
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO lexicon (title, key, source, recorded_at) VALUES ('x', '0102', 'autre', 't')")
    assert conn.execute("PRAGMA user_version").fetchone()[0] >= 4  # 001–003 from main, then 004_lexicon (and later ones)


def test_lexique_command_options(tmp_path):
    result = run(tmp_path, "lexique")
    assert "Lexique des intitulés" in result.output and "du lexique de départ" in result.output
    both = CliRunner().invoke(main, ["--racine", str(tmp_path), "lexique", "--export", str(tmp_path / "a.xlsx"),
                                     "--charger", str(tmp_path / "b.xlsx")])
    assert both.exit_code == 2 and not (tmp_path / "a.xlsx").exists()
    wrong = CliRunner().invoke(main, ["--racine", str(tmp_path), "lexique", "--export", str(tmp_path / "a.csv")])
    assert wrong.exit_code == 3 and ".xlsx" in wrong.stderr
    alias = CliRunner().invoke(main, ["--racine", str(tmp_path), "lexique", "--load", str(tmp_path / "none.xlsx")])
    assert alias.exit_code == 3 and "none.xlsx" in alias.stderr


def test_a_title_companies_placed_on_two_codes_is_never_pre_filled(campaign):
    validated = pd.concat([entries(pd.DataFrame({"intitule": ["CDA N2 - Plateau santé"], "cle": [code]}), company,
                                   "2026", "t")
                           for company, code in (("acta", "0102"), ("ima", "0102"), ("fidelia", "0103"))])
    lexicon = effective(pd.DataFrame(columns=["intitule", "cle"]), validated)
    p = Matcher(campaign.nomenclature, load_abbreviations(), lexicon).propose("CDA N2 - Plateau santé")
    assert p.code == "0102" and p.confident and not p.strong, p     # 2 companies against 1: confident, to confirm
    assert "validé par 2 sociétés en 2026" in p.why
    assert p.alternatives[0][1] == "0103" and p.alternatives[0][2] == pytest.approx(1 / 3)


# --- what a validated title teaches beyond itself ---------------------------------------------------------

TAUGHT_TITLES = ["CDA plateau auto", "Chargée d'assistance habitation", "Téléconseiller d'assistance",
                 "Opératrice d'assistance", "Conseiller d'assistance santé", "Agent d'assistance voyage"]


def _matcher(companies: list[str], titles: list[str], code: str = "0102") -> Matcher:
    nomenclature = load_nomenclature()
    history = [entries(pd.DataFrame({"intitule": titles, "cle": code}), c, "2026", "t") for c in companies]
    recorded = pd.concat(history, ignore_index=True) if history else EMPTY_HISTORY
    return Matcher(nomenclature, load_abbreviations(), effective(load_starter_lexicon(nomenclature), recorded))


def _learned(before, after, titles, why: str) -> None:
    """Each title: not confident ``before``; ``after``, confidently 0102 without pre-filling, saying ``why``."""
    for title in titles:
        assert not before.propose(title).confident
        p = after.propose(title)
        assert p.code == "0102" and p.confident and not p.strong, (title, p)
        assert why in p.why


def test_a_validated_title_holds_its_variants():
    """Another department or site, the same head: one company's validation is enough, without pre-filling."""
    _learned(_matcher([], []), _matcher(["acta"], ["Agent d'assistance voyage"]),
             ("Agent assistance", "Agent d'assistance - Plateau voyage"), "Agent d'assistance voyage")


def test_words_are_learned_from_many_validations_not_from_one_company():
    """"assistance" is a word of many métiers: five companies validating it on 0102 teach it, one does not."""
    one, many = _matcher(["acta"], TAUGHT_TITLES), _matcher(["acta", "ima", "fidelia", "mondial", "europ"],
                                                              TAUGHT_TITLES)
    _learned(one, many, ("Référent assistance", "Expert assistance"),
             "appris des intitulés validés pour ce métier : « assistance »")


def test_one_company_cannot_teach_a_confident_mistake():
    """Its titles all say "plateau", but a trainer or a team leader of the car plateau is not a chargé d'assistance."""
    one = _matcher(["acta"], ["CDA plateau auto", "Téléconseiller plateau auto",
                              "Chargée d'assistance plateau santé"])
    trainer, leader = one.propose("Formateur plateau auto"), one.propose("Chef de plateau auto")
    assert not (trainer.confident and trainer.code == "0102"), trainer
    assert leader.code == "0103", leader   # the team leader's own label still leads (flagged at worst)


def test_a_title_the_same_as_a_label_is_not_made_doubtful_by_a_validated_title_it_resembles():
    """"Régulateur médical" validated on 0201: the nomenclature's own « Assistant(e) de régulation
    médicale » (0202) stays confident, and pre-filled."""
    p = _matcher(["acta"], ["Régulateur médical"], "0201").propose("Assistant médical régulation")
    assert p.code == "0202" and p.confident and p.strong, p
