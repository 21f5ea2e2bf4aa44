"""The breakdown sheets of consolidation.xlsx against an independent computation, on random fills typed into real
templates: blank templates of the demo's 2009 campaign (every breakdown, a crossed pair, ETP) filled cell by cell
with openpyxl as HR would, checked and consolidated by the library (:class:`pipeline.api.Project`), the workbook
read back and every cell compared with sums made here from the fills alone."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.core.breakdowns import ETP, NON_RENSEIGNE, PAIR, sheet_name
from pipeline.core.form import HEADER_ROW, KEY_TOTAL, SHEET_INPUT, columns
from pipeline.core.layout import input_rows, membership
from pipeline.core.texts import labels as L
from pipeline.core.vocab import EFFECTIF, TOUT, Level, Status
from pipeline.write.template import write_template
from tests.conftest import row_of
from tests.helpers import project_2009

MAX_PER_CELL = 6  # people per crossed cell: small rows, some of them 0


def _random_row(rng: random.Random, campaign) -> dict[tuple[str, str], float | None]:
    """One row's fill, by (measure, category): the crossed pair at random, its margins summed from it, the other
    breakdowns split at random (working time sometimes left empty: it allows « non renseigné »), ETP ≤ headcount."""
    saisie = campaign.saisie
    pair = saisie.pyramid
    crossed = {cat: rng.randint(0, MAX_PER_CELL) for cat in pair.long_categories}
    head = sum(crossed.values())
    fill: dict[tuple[str, str], float | None] = {(EFFECTIF, TOUT): head, **{(EFFECTIF, c): v for c, v in crossed.items()}}
    for margin_key in pair.crosses:
        for cat in saisie.of(margin_key).long_categories:
            fill[(EFFECTIF, cat)] = sum(v for c, v in crossed.items() if cat in c.split(PAIR))
    for b in saisie.with_categories():
        if b.key in pair.crosses or b.key == pair.key:
            continue
        if b.non_renseigne and rng.random() < 0.3:
            fill.update({(EFFECTIF, c): None for c in b.long_categories})
            continue
        cuts = sorted(rng.randint(0, head) for _ in range(len(b.long_categories) - 1))
        parts = [b - a for a, b in zip([0, *cuts], [*cuts, head])]
        fill.update({(EFFECTIF, c): v for c, v in zip(b.long_categories, parts)})
    fill[(ETP, TOUT)] = round(rng.uniform(0, head), 1) if rng.random() < 0.8 else None  # ETP are optional
    return fill


def _type_in(path: Path, campaign, rows: dict[str, dict], total: int) -> None:
    """Type the fills into a blank template, each value in the cell under its heading on its code's row."""
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_INPUT]
    heading_col = {cell.value: cell.column for cell in ws[HEADER_ROW + 1] if cell.value}
    col = {(c.mesure, c.categorie): heading_col[c.heading] for c in columns(campaign) if c.mesure}
    for key, fill in rows.items():
        r = row_of(ws, key)
        for measure_category, value in fill.items():
            ws.cell(r, col[measure_category]).value = value
    ws.cell(row_of(ws, KEY_TOTAL), col[(EFFECTIF, TOUT)]).value = total
    wb.save(path)


def _expected(campaign, fills: dict[str, dict[str, dict]]) -> dict[tuple[str, str, str, str], float]:
    """(niveau, code, measure, category) -> the sum over every company's rows belonging to that cell; a breakdown
    left empty counts its row's headcount as « non renseigné »."""
    member = membership(campaign.nomenclature)
    cells_of: dict[str, list[tuple[str, str]]] = {}
    for m in member.itertuples(index=False):
        cells_of.setdefault(m.cle, []).append((str(m.niveau), m.code))
    out: dict[tuple[str, str, str, str], float] = {}
    for rows in fills.values():
        for key, fill in rows.items():
            values = dict(fill)
            if fill.get((ETP, TOUT)) is not None:  # what the ETP are a share of
                values[("effectif_etp", TOUT)] = fill[(EFFECTIF, TOUT)]
            for b in campaign.saisie.with_categories():
                if all(values.get((EFFECTIF, c)) is None for c in b.long_categories):
                    values[(EFFECTIF, b.category(NON_RENSEIGNE))] = fill[(EFFECTIF, TOUT)]
            for (measure, category), v in values.items():
                for niveau, code in cells_of[key]:
                    k = (niveau, code, measure, category)
                    out[k] = out.get(k, 0) + (v or 0)
    return out


@settings(max_examples=4, deadline=None)
@given(seed=st.integers(0, 10_000), n_companies=st.integers(1, 3))
def test_breakdown_sheets_of_consolidation_match_sums_of_random_fills(seed, n_companies):
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        project, campaign = project_2009(root)
        keys = [k for k, row in input_rows(campaign.nomenclature).items() if k != KEY_TOTAL]
        folder = campaign.inputs_dir(root)
        folder.mkdir(parents=True)
        fills = {}
        for company in rng.sample(list(campaign.societes["identifiant"]), n_companies):
            rows = {key: _random_row(rng, campaign) for key in rng.sample(keys, rng.randint(1, 8))}
            path = write_template(campaign, company, folder / f"{company}.xlsx")
            _type_in(path, campaign, rows, sum(f[(EFFECTIF, TOUT)] for f in rows.values()))
            fills[company] = rows
        run = project.consolidate(campaign)
        statuses = dict(zip(run.checked.fichiers["societe"], run.checked.fichiers["statut"]))
        assert all(Status(s).accepted for s in statuses.values()), run.checked.rendered_messages.to_string()
        assert len(statuses) == n_companies
        expected = _expected(campaign, fills)
        wb = openpyxl.load_workbook(run.consolidation_path)
        cells = list(run.consolidation.table[["niveau", "code"]].itertuples(index=False, name=None))
        breakdowns = campaign.saisie.with_categories()
        for b in breakdowns:
            ws = wb[sheet_name(b)]
            body = [row for row in ws.iter_rows(min_row=6, values_only=True) if row[2] is not None][:len(cells)]
            assert len(body) == len(cells)
            for (niveau, code), row in zip(cells, body):
                assert str(row[0]) == code
                whole = expected.get((str(niveau), code, EFFECTIF, TOUT), 0)
                assert row[2] == whole, (b.key, niveau, code)
                for i, category in enumerate(b.long_categories):
                    n, share = row[3 + 2 * i], row[4 + 2 * i]
                    want = expected.get((str(niveau), code, EFFECTIF, category), 0)
                    assert n == want, (b.key, niveau, code, category)
                    assert share == pytest.approx(want / whole if whole else 0.0)
        ws = wb[L.SHEET_ETP]
        body = [row for row in ws.iter_rows(min_row=5, values_only=True) if row[2] is not None][:len(cells)]
        for (niveau, code), row in zip(cells, body):
            etp = expected.get((str(niveau), code, ETP, TOUT), 0)
            covered = expected.get((str(niveau), code, "effectif_etp", TOUT), 0)
            assert row[3] == pytest.approx(etp, abs=0.051), (niveau, code)
            assert row[4] == covered, (niveau, code)  # ETP left empty count neither in ETP nor in this headcount
            assert row[5] == (pytest.approx(etp / covered, abs=0.051 / covered) if covered else None), (niveau, code)
        assert any(niveau == Level.BRANCHE for niveau, _ in cells)
