"""The published edition of a campaign with breakdowns (the demo's 2009 campaign): the main table and every
breakdown, the crossed sexe × âge pair included, are protected together as linked tables, and the edition
resists the independent attacker of tests/secret_attacker.py; the workbook, the open data and the note say the
same; the ETP stay unpublished."""

from __future__ import annotations

import csv
import re
import zipfile

import openpyxl
import pytest

from pipeline.core.texts import fr
from pipeline.core.texts import labels as L
from pipeline.core.vocab import EFFECTIF, TOUT
from pipeline.store import history
from pipeline.write.consolidation import secret_note
from tests.auditor import assert_resists


@pytest.fixture(scope="module")
def later(demo):
    return demo[1].breakdowns


@pytest.fixture(scope="module")
def published(later):
    """diffusion.csv as (cell name -> value or None, cell name -> number of companies or None)."""
    values, counts = {}, {}
    with open(later.opendata_path.parent / "diffusion.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        assert r["mesure"] == EFFECTIF  # no ETP published
        name = f"{r['niveau']}:{r['code']}" + ("" if r["categorie"] == TOUT else f"|{r['categorie']}")
        values[name] = None if r["effectif_secret"] == "true" else int(r["effectif"])
        counts[name] = None if r["nb_societes_secret"] == "true" else int(r["nb_societes"])
    return rows, values, counts


def _typed(later) -> dict[str, dict]:
    """Each company's figures as typed (the history's long form): row key, or (row key, category)."""
    from pipeline.api import Project
    project = Project(later.consolidation_path.parents[2])
    with project._connect() as conn:
        figures = history.accepted(conn, later.consolidation.campaign).chiffres
    out: dict[str, dict] = {}
    for company, key, mesure, cat, v in figures[["societe", "cle", "mesure", "categorie", "valeur"]] \
            .itertuples(index=False, name=None):
        if mesure == EFFECTIF:
            out.setdefault(company, {})[key if cat == TOUT else (key, cat)] = v
    return out


def test_every_breakdown_is_published_with_its_cells_masked_where_needed(later, published):
    rows, values, _ = published
    cats = {r["categorie"] for r in rows}
    assert {"sexe=femmes", "age=moins-de-26-ans", "contrat=cdi", "statut=cadres", "temps=temps-plein",
            "sexe=femmes&age=moins-de-26-ans", TOUT} <= cats
    crossed = {r["niveau"] for r in rows if "&" in r["categorie"]}
    assert crossed == {"famille", "groupe", "ventiles", "branche"}  # the pyramids' cells, not the métiers'
    assert "Par Sexe × Âge" not in openpyxl.load_workbook(later.diffusion_path).sheetnames
    assert values["branche:|sexe=femmes"] + values["branche:|sexe=hommes"] == values["branche:"]
    assert any(v is None for k, v in values.items() if "|" in k)  # small cells are masked
    evolutions = [r for r in rows if r["evolution"] != ""]
    assert evolutions and all(r["categorie"] == TOUT for r in evolutions)  # the headcount only has an evolution


def test_the_published_breakdowns_resist_an_independent_attacker(later, published):
    """Main table, breakdowns and crossed pair read back from diffusion.csv: no company's figure in any published
    cell is bounded within ± 10 % by the outside reader or by any company using its own figures (the crossed
    pair's cells by métier, not published, are unknowns of the attacker's sums)."""
    _, values, counts = published
    saisie = later.consolidation.campaign.saisie
    simple = [b for b in saisie.with_categories() if not b.crosses]
    pair = saisie.pyramid
    margins = [f"{k}={code}" for k in pair.crosses for code, _ in saisie.of(k).categories]
    partitions = [(m, [c for c in pair.long_categories if m in c.split("&")]) for m in margins]
    categories = [TOUT, *(c for b in saisie.with_categories() for c in b.long_categories)]
    assert_resists(values, counts, _typed(later), later.consolidation.campaign.nomenclature,
                   categories=categories, breakdowns=[b.long_categories for b in simple] + [pair.long_categories],
                   partitions=partitions)


def test_the_workbook_shows_what_the_open_data_shows(later, published):
    _, values, _ = published
    wb = openpyxl.load_workbook(later.diffusion_path)
    assert "ETP" not in wb.sheetnames and "Par Sexe" in wb.sheetnames and "Pyramide des âges" in wb.sheetnames
    ws = wb["Par Âge"]
    head = next(r for r in range(1, 10) if ws.cell(r, 1).value == "Code") + 1
    categories = [ws.cell(head - 1, c).value for c in range(4, ws.max_column + 1, 2)]
    age = later.consolidation.campaign.saisie.of("age")
    codes = {label: age.category(code) for code, label in age.categories}
    assert categories == list(codes)
    seen = 0
    for r in range(head + 1, ws.max_row + 1):
        code = ws.cell(r, 1).value
        if isinstance(code, str) and code.isdigit() and len(code) == 4:
            for i, label in enumerate(categories):
                if label in codes:
                    shown = ws.cell(r, 4 + 2 * i).value
                    expected = values[f"metier:{code}|{codes[label]}"]
                    assert shown == ("s" if expected is None else expected), (code, label)
                    if shown == "s":
                        assert ws.cell(r, 5 + 2 * i).value == "s"  # its share too
                    seen += 1
    assert seen == len(codes) * 39
    note = " ".join(str(c.value) for row in wb["Note"].iter_rows() for c in row if c.value)
    assert "sont publiées sous les mêmes règles" in note and "ETP" in note and "ne sont pas publiés" in note


def test_each_pyramid_says_which_sex_is_on_which_side(later):
    """The first sex is drawn left of the axis (its figures negated in a hidden column): the value axis's title says
    so in the reader's words, where a legend would list the series in an order of the application's own."""
    wb = openpyxl.load_workbook(later.diffusion_path)
    ws = wb["Pyramide des âges"]
    header = next(r for r in ws.iter_rows(min_row=4, max_col=3, values_only=True) if r[0] == L.PYRAMID_AGE)
    left, right = header[1], header[2]
    with zipfile.ZipFile(later.diffusion_path) as z:
        charts = [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/charts/chart")]
    pyramids = [x for x in charts if f"{L.PYRAMID_CHART_TITLE.split(' —')[0]} —" in x]
    assert pyramids and len(pyramids) == len(ws._charts)
    side = fr(L.PYRAMID_SIDES, gauche=left, droite=L.lower_first(right))
    assert side == f"{left} à gauche, {right.lower()} à droite"
    for xml in pyramids:
        values = re.findall(r"<c:val><c:numRef><c:f>[^<]*!\$([A-Z]+)\$", xml)
        assert values[0] == "D"  # the first series (the first sex) drawn from the negated column
        assert xml.count(side) == 1 and "<c:legend>" not in xml


def test_the_published_table_prints_a_remark_column_only_with_remarks(later):
    """No métier of the 2009 demo changed code since 2007: no « Remarque » column, its room given to the titles
    (tests/test_two_campaigns.py checks the column is there when the nomenclature changed)."""
    assert not any(later.consolidation.evolution_raw_rows["note"])
    ws = openpyxl.load_workbook(later.diffusion_path)["Synthèse"]
    head = next(r for r in ws.iter_rows(values_only=True) if r[0] == "Code")
    assert L.EVOLUTION_HEADINGS[-1] not in head and head[-1] == L.EVOLUTION_HEADINGS[1]
    assert ws.column_dimensions["B"].width > 40


def test_a_pyramid_with_a_masked_cell_is_not_drawn(later, published):
    _, values, _ = published
    wb = openpyxl.load_workbook(later.diffusion_path)
    ws = wb["Pyramide des âges"]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    masked_families = {k.split("|")[0] for k, v in values.items() if k.startswith("famille:") and v is None
                       and "&" in k}
    assert len(ws._charts) == 1 + 9 - len(masked_families)
    assert texts.count("s") >= len(masked_families)
    assert sum("Pyramide non dessinée" in t for t in texts) == len(masked_families)


def test_the_note_speaks_of_an_evolution_only_when_the_edition_has_one(demo):
    """The 2007 demo edition has no previous campaign: its note says nothing of an evolution; the 2009 one does."""
    _, r = demo
    first, second = secret_note(r.consolidation), secret_note(r.breakdowns.consolidation)
    assert r.consolidation.evolution_raw is None and r.breakdowns.consolidation.evolution_raw is not None
    assert not any("évolution" in line.lower() for line in first)
    assert L.SECRET_NOTE_EVOLUTION in second and any(L.PUBLISHED_BREAKDOWNS_EVOLUTION in line for line in second)
