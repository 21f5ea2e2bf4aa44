"""The open-data export: valid under the frictionless validator, and the same figures as diffusion.xlsx."""

import csv
import json

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

