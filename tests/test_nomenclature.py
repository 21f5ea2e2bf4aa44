import csv
import shutil

import pytest

from pipeline.core.errors import UserError
from pipeline.core.nomenclature import default_nomenclature_dir, load_nomenclature

REFERENCE_FAMILIES = {
    "01": "Opérations d'assistance", "02": "Activités médicales", "03": "Support et organisation d'assistance",
    "04": "Gestion d'assistance", "05": "Réseau de prestataires", "06": "Commercial et marketing",
    "07": "Informatique et téléphonie", "08": "Ressources humaines", "09": "Autres métiers supports ou transverses",
}


def test_shipped_nomenclature_has_9_families_and_39_metiers():
    nom = load_nomenclature()
    assert dict(zip(nom.familles["code_famille"], nom.familles["intitule_famille"])) == REFERENCE_FAMILIES
    assert len(nom.metiers) == 39
    assert [n for n, _ in nom.groupes] == ["I", "II"]
    groups = dict(zip(nom.familles["code_famille"], nom.familles["numero_groupe"]))
    assert {c for c, g in groups.items() if g == "I"} == {"01", "02", "03", "04", "05"}
    # Codes are text with their leading zero, and start with their family code.
    assert nom.metiers["code_metier"].iloc[0] == "0101"
    assert all(c[:2] == f for c, f in zip(nom.metiers["code_metier"], nom.metiers["code_famille"]))


def test_emplois_rattaches_of_0101_give_two_input_lines():
    nom = load_nomenclature()
    m = nom.metiers.set_index("code_metier").loc["0101"]
    assert m["emplois"] == ["Chargé(e) d'accueil d'assistance",
                            "Encadrant(e) des chargé(e)s d'accueil d'assistance"]
    lines = nom.lignes_du_metier("0101")
    assert list(lines["cle"]) == ["0101-1", "0101-2"]
    assert list(nom.lignes_du_metier("0102")["cle"]) == ["0102"]
    assert len(nom.lignes) == 40
    assert "Standardiste" in nom.metiers.set_index("code_metier").loc["0101", "autres"]


def test_fingerprint_is_stable_and_follows_structure(tmp_path):
    folder = tmp_path / "nom"
    shutil.copytree(default_nomenclature_dir(), folder)
    assert load_nomenclature(folder).empreinte == load_nomenclature().empreinte
    path = folder / "metiers.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Juriste (f/h)", "Juriste d'entreprise (f/h)"),
                    encoding="utf-8")
    assert load_nomenclature(folder).empreinte != load_nomenclature().empreinte


def _broken(tmp_path, file_name, transform):
    folder = tmp_path / "nom"
    shutil.copytree(default_nomenclature_dir(), folder)
    path = folder / file_name
    path.write_text(transform(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(UserError) as err:
        load_nomenclature(folder)
    return str(err.value)


@pytest.mark.parametrize(
    "file_name, transform, expected",
    [
        ("metiers.csv", lambda t: t.replace("\n0102;01;", "\n102;01;"),
         "metiers.csv, ligne 3, colonne code_metier : code métier « 102 » invalide"),
        ("metiers.csv", lambda t: t.replace("\n0103;01;", "\n0102;01;"),
         "metiers.csv, ligne 4, colonne code_metier : la valeur « 0102 » apparaît plusieurs fois"),
        ("metiers.csv", lambda t: t.replace("\n0201;02;", "\n0201;03;"),
         "metiers.csv, ligne 9 : le code métier « 0201 » ne commence pas par le code de sa famille « 03 »"),
        ("metiers.csv", lambda t: t.replace("\n0906;09;Juriste (f/h)", "\n0906;09; "),
         "metiers.csv, ligne 40, colonne intitule_metier : intitulé vide"),
        ("metiers.csv", lambda t: t.replace("\n0906;09;", "\n1006;10;"),
         "metiers.csv, ligne 40, colonne code_famille : famille « 10 » absente de familles.csv"),
        ("familles.csv", lambda t: t + "10;Métiers supports;Logistique\n",
         "familles.csv, ligne 11 : la famille « 10 » n'a aucun métier"),
        ("metiers.csv", lambda t: t.replace("code_famille;intitule_metier", "famille;intitule_metier"),
         "metiers.csv, ligne 1 : colonne manquante : code_famille"),
        ("metiers.csv", lambda t: t.replace("\n0906;09;Juriste (f/h);;;;", "\n0906;09;Juriste (f/h);;;"),
         "metiers.csv, ligne 40 : 6 champs au lieu de 7"),
    ],
)
def test_broken_nomenclature_names_file_and_line(tmp_path, file_name, transform, expected):
    assert expected in _broken(tmp_path, file_name, transform)


def test_all_problems_are_reported_at_once(tmp_path):
    message = _broken(tmp_path, "metiers.csv",
                      lambda t: t.replace("\n0102;01;", "\n102;01;").replace("\n0906;09;Juriste (f/h)", "\n0906;09;"))
    assert "ligne 3" in message and "ligne 40" in message


def test_excel_saved_files_are_accepted(tmp_path):
    """French Excel saves ';'-separated Windows-1252; 'CSV UTF-8' adds a BOM; other tools use ','."""
    folder = tmp_path / "nom"
    shutil.copytree(default_nomenclature_dir(), folder)
    text = (folder / "metiers.csv").read_text(encoding="utf-8")
    (folder / "metiers.csv").write_bytes(text.encode("cp1252", errors="replace"))
    fam = folder / "familles.csv"
    rows = list(csv.reader(fam.read_text(encoding="utf-8").splitlines(), delimiter=";"))
    with fam.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)
    nom = load_nomenclature(folder)
    assert len(nom.metiers) == 39
    assert nom.familles.iloc[0]["intitule_famille"] == "Opérations d'assistance"
    assert nom.metiers.iloc[0]["intitule_metier"] == "Chargé(e) d'accueil d'assistance"


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(UserError, match="fichier introuvable"):
        load_nomenclature(tmp_path / "absent")


def test_a_line_breaking_a_frame_check_is_reported_once(tmp_path):
    message = _broken(tmp_path, "metiers.csv", lambda t: t.replace("\n0201;02;", "\n0201;03;"))
    assert message.count("ligne 9") == 1
