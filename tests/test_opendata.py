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
    assert len(_rows(root / "outputs" / "2007" / "metiers.csv")) == 39



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
