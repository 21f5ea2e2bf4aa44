"""The open-data export: valid under the frictionless validator, and the same figures as diffusion.xlsx."""

import csv
import json
import math
from fractions import Fraction

import frictionless

from tests.auditor import read_diffusion


def _rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_the_data_package_is_valid(demo):
    root, r = demo
    assert r.run.opendata_path == root / "outputs" / "2007" / "datapackage.json"
    report = frictionless.validate(str(r.run.opendata_path))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = json.loads(r.run.opendata_path.read_text(encoding="utf-8"))
    fields = {f["name"]: f for f in package["resources"][0]["schema"]["fields"]}
    assert fields["niveau"]["constraints"]["enum"] == ["emploi", "metier", "famille", "groupe", "ventiles",
                                                      "non_ventiles", "branche"]
    assert all(f.get("description") for f in fields.values()) and fields["effectif_secret"]["type"] == "boolean"
    assert package["licenses"][0]["name"] == "etalab-2.0"
    # One row per published cell: the validator checks the key is unique.
    assert package["resources"][0]["schema"]["primaryKey"] == ["niveau", "code", "mesure", "categorie"]


def test_the_csv_publishes_exactly_the_published_edition(demo, campaign):
    root, r = demo
    published, counts, _, _ = read_diffusion(root / "outputs" / "2007" / "diffusion.xlsx", campaign.nomenclature)
    rows = {f"{row['niveau']}:{row['code']}": row for row in _rows(root / "outputs" / "2007" / "diffusion.csv")}
    assert set(rows) == set(published)
    for cell, value in published.items():
        row = rows[cell]
        assert (row["effectif"] == "") == (value is None) == (row["effectif_secret"] == "true"), cell
        assert value is None or int(row["effectif"]) == value
        assert (row["nb_societes"] == "") == (counts[cell] is None) == (row["nb_societes_secret"] == "true"), cell
        assert counts[cell] is None or int(row["nb_societes"]) == counts[cell]
    assert rows["metier:0105"]["effectif"] == "" and rows["branche:"]["effectif"] == "5523"
    metiers = _rows(root / "outputs" / "2007" / "metiers.csv")
    assert len(metiers) == 39
    # Each métier's group by the code diffusion.csv gives the group's rows (I, II), besides its label.
    groups = {row["code"]: row["libelle"] for row in rows.values() if row["niveau"] == "groupe"}
    assert sorted(groups) == ["I", "II"]
    for m in metiers:
        assert m["code_groupe"] == ("I" if m["code_famille"] <= "05" else "II"), m
        assert m["groupe"].lower() in groups[m["code_groupe"]].lower()



def test_the_csv_shares_are_rounded_as_excel_shows_them(demo):
    """Each share, worked out again in exact fractions from the published headcounts, rounded halves up (255 of
    480 is 53,13 %, as the workbook shows it; Python's round gave 53.12)."""
    root, _ = demo
    rows = _rows(root / "outputs" / "2009" / "diffusion.csv")
    branch = {(r["mesure"], r["categorie"]): r["effectif"] for r in rows if r["niveau"] == "branche"}
    ties = 0
    for r in rows:
        if r["pourcentage"] == "":
            continue
        hundredths = Fraction(100 * 100 * int(r["effectif"]), int(branch[r["mesure"], r["categorie"]]))
        expected = math.floor(hundredths + Fraction(1, 2))
        ties += hundredths.denominator == 2
        assert Fraction(r["pourcentage"]) * 100 == expected, r
    assert ties  # the demo has shares ending in a half hundredth


def test_every_empty_figure_is_one_the_descriptions_account_for(demo):
    """Of the second demo campaign (every breakdown, an evolution): a share is empty only where its cell or the
    branch's figure of the same category is masked; an N−1 figure and an evolution only where masked (flagged), not
    comparable, or on an emploi or a breakdown's row — as datapackage.json says. And metiers.csv's family code is
    described as what it is (never empty)."""
    _, r = demo
    folder = r.breakdowns.opendata_path.parent
    rows = _rows(folder / "diffusion.csv")
    branch_masked = {(row["mesure"], row["categorie"]) for row in rows
                     if row["niveau"] == "branche" and row["effectif_secret"] == "true"}
    blank_shares = [row for row in rows if row["pourcentage"] == "" and row["effectif_secret"] == "false"]
    assert blank_shares and all((row["mesure"], row["categorie"]) in branch_masked for row in blank_shares)
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    fields = {f["name"]: f["description"] for f in package["resources"][0]["schema"]["fields"]}
    assert "branche" in fields["pourcentage"] and "emplois rattachés" in fields["effectif_precedent"]
    blank_n1 = [row for row in rows if row["effectif_precedent"] == "" and row["evolution_secret"] == "false"]
    assert any(row["niveau"] == "emploi" and row["categorie"] == "tout" for row in blank_n1)
    assert all(row["niveau"] == "emploi" or row["categorie"] != "tout" for row in blank_n1)
    # Each category named as the companies read it, beside its code (« bac-2 » would not say « Bac+2 »).
    saisie = r.breakdowns.consolidation.campaign.saisie
    for row in rows:
        if row["categorie"] == "tout":
            assert row["ventilation"] == row["libelle_categorie"] == ""
        else:
            key = row["categorie"].split("&")[0].split("=")[0]
            declared = dict(saisie.of(key).categories)
            first = row["categorie"].split("&")[0].split("=")[1]
            assert row["libelle_categorie"].startswith(declared.get(first, "non renseigné")), row
            assert row["ventilation"].startswith(saisie.of(key).label), row
    assert {row["libelle_categorie"] for row in rows} >= {"Femmes", "Hommes", "Femmes, 26 à 35 ans"}
    codes = {f["name"]: f["description"] for f in package["resources"][1]["schema"]["fields"]}
    assert "vide" not in codes["code_famille"] and "vide" in fields["code_famille"]
