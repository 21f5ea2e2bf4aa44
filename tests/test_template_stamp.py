"""`modeles` stamps most templates from another company's (pipeline.write.stamp): each stamped workbook is, byte for
byte, the one xlsxwriter writes for the company — whatever its name holds (every XML-special character, quotes,
apostrophes and elision, accents, emoji, control characters, xlsxwriter's own escapes, header codes, a name too
long for a page header, a name that wraps, a name that is another cell's text), with and without the N−1 reminder,
with breakdowns — and it reads back, fills and is accepted like any template."""

from __future__ import annotations

import dataclasses
import io
import random
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pipeline.core.campaign import embedded_campaign_path, load_campaign
from pipeline.core.form import HEADER_ROW, KEY_NV, KEY_TOTAL, PROP_COMPANY, PROP_NAME, SHEET_INPUT
from pipeline.core.layout import build_layout
from pipeline.core.parallel import PARALLEL_MIN
from pipeline.read.xlsx import read_workbook
from pipeline.write.refresh import write_templates
from pipeline.write.stamp import Stamper
from pipeline.write.template import write_template
from tests.helpers import ACCEPTED, ingest

# xlsxwriter's own warnings on such names (a header left out), the same whichever way the template is made
pytestmark = pytest.mark.filterwarnings("ignore:Number of footer images:UserWarning",
                                        "ignore:Header string cannot be longer:UserWarning")

AWKWARD = [
    "Dupont & Fils <SARL> \"Le Réseau\" > tout",
    "L'Assistance d'Île-de-France",
    "Europ Assistance",  # « d'Europ » in the guide
    "Hôpital & Santé",
    "Ambulances 🚑 Secours ✨ 👩‍⚕️",
    "Société Générale d'Assistance " * 7,  # some 200 characters: rows wrap, the page header is left out
    "Tab\tsociété\x01 _x0041_ \ufffe",  # control characters and xlsxwriter's _xHHHH_ escapes
    "AG&G Assistance",  # « &G » in a header is a picture to xlsxwriter: the header is left out
    "Soc &[Picture] &P &N",
    "<r>riche</r>",
    "Ça   a   des   espaces",
    "Assurance " + "x" * 80,  # one word wider than the column
]


def _companies(names: list[str]) -> list[tuple[str, str]]:
    """Three companies per name (the first of a shape is written by xlsxwriter, the second too and compared, the
    third stamped), with identifiers as awkward as their names."""
    out = []
    for i, name in enumerate(names):
        for tag in "ABC":
            out.append((f"s{i}-{tag}&<'\">é", f"{name} {tag}".strip()))
    return out


def _campaign(names: list[str], extra: list[tuple[str, str]] = (), ref: str = "2007"):
    """An embedded campaign whose companies are given these names (the campaign file's TOML would not hold every
    control character)."""
    campaign = load_campaign(embedded_campaign_path(ref))
    societes = pd.DataFrame([{"identifiant": sid, "raison_sociale": name, "contact": "", "email": "", "groupe": "",
                              "fichier": f"t{i}.xlsx"} for i, (sid, name) in enumerate(_companies(names) + list(extra))])
    return dataclasses.replace(campaign, societes=societes, libelle="Campagne « test » & co <2026>")


def _previous(rng: random.Random, campaign, mode: str) -> dict[int, float] | None:
    if mode == "none":
        return None
    if mode == "empty":
        return {}
    rows = range(len(build_layout(campaign.nomenclature)))
    values = {i: rng.choice([0, 1, 7, 1234, 2.5, 1 / 3, 1e17, float("nan")]) for i in rows if rng.random() < 0.6}
    return values


def _same(campaign, tmp_path: Path, mode: str, expected_direct: set[str] = frozenset()) -> Stamper:
    """Every company stamped (or not) and written by xlsxwriter: the same bytes."""
    stamped, direct = tmp_path / "stamped", tmp_path / "direct"
    stamped.mkdir()
    direct.mkdir()
    stamper = Stamper(campaign)
    stamper.prepare(stamped, mode != "none")
    rng = random.Random(17)
    for soc in campaign.societes.itertuples(index=False):
        previous = _previous(rng, campaign, mode)
        before = stamper.stamped
        stamper.write(soc.identifiant, stamped / soc.fichier, previous)
        write_template(campaign, soc.identifiant, direct / soc.fichier, previous=previous)
        a, b = (stamped / soc.fichier).read_bytes(), (direct / soc.fichier).read_bytes()
        if a != b:  # say which part differs
            za, zb = zipfile.ZipFile(io.BytesIO(a)), zipfile.ZipFile(io.BytesIO(b))
            assert za.namelist() == zb.namelist()
            for name in za.namelist():
                assert za.read(name) == zb.read(name), (soc.raison_sociale, name)
        assert a == b, soc.raison_sociale
        if soc.identifiant.endswith("C&<'\">é") and soc.raison_sociale not in expected_direct:
            assert stamper.stamped == before + 1, soc.raison_sociale  # really stamped
    assert not stamper.broken
    return stamper


@pytest.mark.parametrize("mode", ["none", "empty", "values"])
def test_stamped_templates_are_the_bytes_xlsxwriter_writes(tmp_path, mode):
    label = next(r.intitule for r in build_layout(load_campaign(embedded_campaign_path("2007")).nomenclature)
                 if r.intitule and r.emploi)  # a name that is also a cell's text: written by xlsxwriter
    campaign = _campaign(AWKWARD, [("lab1", label), ("lab2", "Secrétariat — secretariat@snsa.fr")])
    stamper = _same(campaign, tmp_path, mode)
    assert stamper.stamped >= len(AWKWARD)


def test_stamped_templates_with_breakdowns_and_etp(tmp_path):
    campaign = _campaign(AWKWARD[:6], ref="2009")
    stamper = _same(campaign, tmp_path, "values")
    assert stamper.stamped >= 6


def test_stamped_templates_read_back_fill_and_are_accepted(tmp_path):
    names = [n for n in AWKWARD if "<r>" not in n]  # a raw rich string, as xlsxwriter writes it, is no real text
    campaign = _campaign(names)
    assert len(campaign.company_ids) >= PARALLEL_MIN
    written, _ = write_templates(campaign, tmp_path)
    inputs = campaign.inputs_dir(tmp_path)
    inputs.mkdir(parents=True)
    filled = []
    for w in written:
        name = campaign.raison_sociale(w.company)
        direct = write_template(campaign, w.company, tmp_path / "direct" / w.path.name)
        assert w.path.read_bytes() == direct.read_bytes(), name  # made in forked workers (33 companies)
        props = read_workbook(w.path).properties
        assert props == read_workbook(direct).properties
        if not any(ch < " " or ch == "\ufffe" for ch in name):  # the reader leaves xlsxwriter's _xHHHH_ escapes
            assert (props[PROP_COMPANY], props[PROP_NAME]) == (w.company, name)
        wb = openpyxl.load_workbook(w.path)
        ws = wb[SHEET_INPUT]
        assert ws.cell(2, 3).value == openpyxl.load_workbook(direct)[SHEET_INPUT].cell(2, 3).value
        assert ws.cell(2, 3).value == name or "\t" in name
        if "\x01" in name:  # openpyxl cannot save a control character in a page header back
            continue
        filled.append(w.company)
        rows = {c.value: c.row for c in ws["A"] if c.value and c.row > HEADER_ROW}
        ws[f"E{rows['0102']}"], ws[f"E{rows[KEY_NV]}"], ws[f"E{rows[KEY_TOTAL]}"] = 5, 2, 7
        wb.save(inputs / w.path.name)
    result = ingest(campaign, tmp_path)
    statuses = dict(zip(result.fichiers["societe"], result.fichiers["statut"]))
    assert statuses == {company: ACCEPTED for company in filled}, result.messages.to_string()


def test_templates_stamped_in_forked_workers_are_the_bytes_xlsxwriter_writes(tmp_path):
    campaign = _campaign([f"Société n° {i}" for i in range(10, 24)])  # one shape: most stamped in the workers
    rng = random.Random(5)
    previous = {c: _previous(rng, campaign, "values") for c in campaign.company_ids}
    written, _ = write_templates(campaign, tmp_path, previous)
    assert len(written) >= PARALLEL_MIN
    for w in written:
        direct = write_template(campaign, w.company, tmp_path / "direct" / w.path.name, previous=previous[w.company])
        assert w.path.read_bytes() == direct.read_bytes(), w.company
