import datetime as dt
import os
import re
from pathlib import Path

import openpyxl
import pytest

from pipeline.core.campaign import campaign_toml, load_campaign
from pipeline.core.form import BODY_START, FORMAT_VERSION, HEADER_ROW
from pipeline.core.texts.labels import ECART as LABEL_ECART
from pipeline.core.form import KEY_NV, KEY_TOTAL, SHEET_GUIDE, SHEET_INPUT
from pipeline.core.layout import build_layout
from pipeline.write.refresh import write_templates
from pipeline.write.template import write_template
from tests.conftest import row_of

GOLDEN = Path(__file__).parent / "golden" / "effectifs_2007_acta.txt"


@pytest.fixture(scope="module")
def blank(tmp_path_factory, campaign):
    root = tmp_path_factory.mktemp("tpl")
    written, _ = write_templates(campaign, root)
    return [w.path for w in written]


def test_one_template_per_company(blank, campaign):
    assert [p.name for p in blank] == list(campaign.societes["fichier"])
    assert all(p.parent.name == "2007" and p.parent.parent.name == "templates_xlsx" for p in blank)


def test_identity_is_stored_as_string_properties_and_shown(blank, campaign):
    wb = openpyxl.load_workbook(blank[0])
    props = {p.name: p.value for p in wb.custom_doc_props.props}
    assert props == {"effectifs_campagne": "2007", "effectifs_societe": "acta", "effectifs_format": FORMAT_VERSION,
                     "effectifs_nomenclature": campaign.nomenclature.empreinte,
                     # what else the template is made from, for ``modeles`` to say why it changed
                     "effectifs_raison_sociale": "Acta", "effectifs_libelle": campaign.libelle,
                     "effectifs_date_arrete": "2007-07-01", "effectifs_date_limite": "2007-09-28",
                     "effectifs_contact": f"{campaign.contact_text()} | {campaign.contact['retour']}",
                     "effectifs_rappel_n1": "-"}
    assert all(isinstance(v, str) for v in props.values())
    ws = wb[SHEET_INPUT]
    texts = [c.value for row in ws.iter_rows(max_row=HEADER_ROW) for c in row if isinstance(c.value, str)]
    assert "Acta" in texts
    assert any("à ne pas modifier" in t and " acta " in t and campaign.nomenclature.empreinte in t for t in texts)


def test_sheets_protection_and_unlocked_inputs(blank, campaign):
    wb = openpyxl.load_workbook(blank[0])
    assert wb.sheetnames == [SHEET_GUIDE, SHEET_INPUT]
    ws = wb[SHEET_INPUT]
    assert ws.protection.sheet and wb[SHEET_GUIDE].protection.sheet
    inputs = [r for r in build_layout(campaign.nomenclature) if r.is_input]
    assert len(inputs) == 40 + 2
    for row in inputs:
        r = row_of(ws, row.cle)
        assert ws.cell(r, 5).protection.locked is False, row.cle
        assert ws.cell(r, 6).protection.locked is False, row.cle
        assert ws.cell(r, 1).protection.locked is True
        assert ws.cell(r, 2).protection.locked is True
    # Every other cell of the headcount column is locked.
    input_rows = {row_of(ws, row.cle) for row in inputs}
    for r in range(1, ws.max_row + 1):
        if r not in input_rows:
            assert ws.cell(r, 5).protection.locked is True, r


def test_every_input_cell_has_the_whole_number_validation(blank):
    wb = openpyxl.load_workbook(blank[0])
    ws = wb[SHEET_INPUT]
    validated = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            for (cell,) in ws[rng.coord] if ":" in rng.coord else [(ws[rng.coord],)]:
                validated[cell.coordinate] = dv
    for key in ["0101-1", "0101-2", "0102", "0906", KEY_NV, KEY_TOTAL]:
        dv = validated[f"E{row_of(ws, key)}"]
        assert (dv.type, dv.operator, dv.formula1) == ("whole", "greaterThanOrEqual", "0")
        assert dv.showErrorMessage and "nombre entier" in dv.error


def test_cached_formula_results_are_right(tmp_path, campaign, figures):
    """The result stored with each formula (what LibreOffice, a file preview or a reader of values shows until the
    sheet is computed again) is the formula's: a split métier's sum of its emplois written under it too (it was 0)."""
    company = "mutuaide-assistance"  # people in both emplois of 0101
    f = figures[company]
    assert f.get("0101-1") and f.get("0101-2")
    path = write_template(campaign, company, tmp_path / "t.xlsx", f)
    values = openpyxl.load_workbook(path, data_only=True)[SHEET_INPUT]
    formulas = openpyxl.load_workbook(path)[SHEET_INPUT]
    by_label = {values.cell(r, 2).value: values.cell(r, 5).value for r in range(BODY_START + 1, values.max_row + 1)}
    fam01 = sum(v for k, v in f.items() if k.startswith("01"))
    assert by_label["Sous-total 01 - Opérations d'assistance"] == fam01
    ventiles = sum(v for k, v in f.items() if k not in (KEY_NV, KEY_TOTAL))
    assert by_label["Total des effectifs ventilés dans les fiches métiers"] == ventiles
    assert by_label[LABEL_ECART] == 0
    assert values[f"E{row_of(values, '0101')}"].value == f["0101-1"] + f["0101-2"]
    assert formulas[f"E{row_of(formulas, '0101')}"].value.startswith("=SUM(")
    # Every formula cell of the sheet has a stored result (None would show empty in LibreOffice), the formula's.
    def number(ref: str) -> float:
        return values[ref].value or 0
    for row in formulas.iter_rows():
        for c in row:
            if c.data_type == "f":
                assert values[c.coordinate].value is not None, c.coordinate
                text = c.value
                if text.startswith("=SUM(") and ":" not in text:
                    expected = sum(number(ref) for ref in text[5:-1].split(","))
                elif re.fullmatch(r"=[A-Z]+\d+-[A-Z]+\d+", text):
                    expected = number(text[1:].split("-")[0]) - number(text.split("-")[1])
                else:
                    continue
                assert values[c.coordinate].value == expected, (c.coordinate, text)


def test_blank_template_shows_zero_gap(blank):
    ws = openpyxl.load_workbook(blank[0], data_only=True)[SHEET_INPUT]
    assert ws.cell(ws.max_row, 5).value == 0
    assert ws.cell(ws.max_row, 2).value == LABEL_ECART


def test_gap_cell_is_highlighted_when_not_zero(blank):
    ws = openpyxl.load_workbook(blank[0])[SHEET_INPUT]
    rules = {str(rng): [r for r in rules] for rng, rules in ws.conditional_formatting._cf_rules.items()}
    gap = f"E{ws.max_row}"
    assert any(gap in key for key in rules)
    rule = next(r for key, rs in rules.items() if gap in key for r in rs)
    assert rule.operator == "notEqual" and rule.formula == ["0"]


def test_print_setup_and_frozen_headings(blank):
    ws = openpyxl.load_workbook(blank[0])[SHEET_INPUT]
    assert ws.freeze_panes == f"A{BODY_START + 1}"
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
    # A fixed scale, so that the page breaks keeping each heading with its rows hold in Excel too.
    assert not ws.sheet_properties.pageSetUpPr.fitToPage and 80 <= ws.page_setup.scale < 100
    assert ws.print_title_rows == f"${HEADER_ROW + 1}:${HEADER_ROW + 1}"
    assert ws.oddHeader.left.text == "Acta" and "Page &P sur &N" in ws.oddFooter.right.text


def test_user_text_is_never_written_as_a_formula(tmp_path):
    text = campaign_toml("t", "=HYPERLINK(\"http://x\",\"y\")", dt.date(2026, 7, 1),
                         dt.date(2026, 9, 1), {"nom": "=cmd|' /C calc'!A0"},
                         [("evil", "=1+1"), ("url", "http://example.com")])
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    c = load_campaign(path, tmp_path)
    out = write_template(c, "evil", tmp_path / "evil.xlsx", comments={KEY_NV: "=HYPERLINK(\"a\")"})
    wb = openpyxl.load_workbook(out)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":  # only the template's own totals are formulas
                    assert cell.value.startswith(("=SUM(E", "=E")), (ws.title, cell.coordinate, cell.value)
        assert not ws._hyperlinks
    strings = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.data_type == "s"]
    assert '=HYPERLINK("http://x","y")' in strings  # the campaign label, kept as text
    assert '=HYPERLINK("a")' in strings  # a comment, kept as text


def _snapshot(path: Path) -> str:
    ws = openpyxl.load_workbook(path)[SHEET_INPUT]
    lines = []
    for r in range(HEADER_ROW + 1, ws.max_row + 1):
        cells = [ws.cell(r, c).value for c in (1, 2, 3, 5)]
        lines.append(f"{r}\t" + "\t".join("" if v is None else str(v) for v in cells))
    return "\n".join(lines) + "\n"


def test_input_sheet_matches_golden_file(blank):
    """The template's rows, labels and formulas; regenerate with UPDATE_GOLDEN=1 after a wanted change."""
    snapshot = _snapshot(blank[0])
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(snapshot, encoding="utf-8")
    assert snapshot == GOLDEN.read_text(encoding="utf-8")
