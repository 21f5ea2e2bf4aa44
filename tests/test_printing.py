"""Every workbook the tool writes prints readably on A4.

First the print settings as written (read back with openpyxl); then every kind of workbook converted to
PDF by LibreOffice in one call and read back with poppler: A4 pages, a sane number of them, 10-point text
printed at 8 points at least, no text beyond the page's margins or drawn over other text, every column
heading and the long texts whole. LibreOffice here may lack Calibri: its stand-in (DejaVu Sans) is the
widest case the layouts are sized for.
"""

from __future__ import annotations

import dataclasses
import email
import email.policy
import datetime as dt
import os
import re
import shutil
import signal
import statistics
import subprocess
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

import pipeline
from pipeline.api import Project
from pipeline.core import form
from pipeline.core.campaign import embedded_campaign_path, load_campaign
from pipeline.core.texts import labels as L
from pipeline.core.texts import matching as M
from pipeline.core.texts.guide import guide
from pipeline.demo import sample_figures, write_sample_returns
from pipeline.write.consolidation import _write_par_societe
from pipeline.write.template import write_template
from pipeline.write.xlsx import BLUE, MID_BLUE, formats, page_breaks, printable, wrapped_lines
from tests.conftest import cell_of

EDITED = dt.datetime(2007, 9, 12, 10, 30)
CHASED = dt.datetime(2007, 10, 1, 9)
LONG_VALUE = "environ quarante personnes au siège et en région"
# Sheets that are text or a chart rather than a table: no heading row to repeat on every page.
NOT_TABLES = {L.SHEET_GUIDE, L.SHEET_REMINDERS, L.SHEET_NOTE, L.SHEET_CHART, L.SHEET_KEY_FIGURES}
# Sheets made to print on one page, whatever it takes.
ONE_PAGE = {L.SHEET_KEY_FIGURES}
# Pages each kind prints on (the 2007 demo figures, 9 companies): a layout gone wrong changes this a lot.
PAGES = {"template": (5, 9), "template_n1": (5, 9), "template_ventilations": (15, 18), "controle": (2, 3), "retour": (6, 10), "suivi": (3, 4),
         "revue": (2, 3), "consolidation": (12, 20), "consolidation_n1": (13, 26), "diffusion": (8, 13)}


def _damage(path: Path, edits: dict) -> None:
    """HR's mistakes typed into a return, the file keeping its date."""
    stamp = path.stat().st_mtime
    wb = openpyxl.load_workbook(path)
    ws = wb[form.SHEET_INPUT]
    for key, value in edits.items():
        ws[cell_of(ws, key)] = value
    wb.save(path)
    os.utime(path, (stamp, stamp))


@pytest.fixture(scope="module")
def kinds(tmp_path_factory) -> dict[str, Path]:
    """Every kind of workbook, from a campaign with problems (returns rejected, companies missing), and a
    second campaign compared with it."""
    root = tmp_path_factory.mktemp("printing")
    (root / "campagnes").mkdir()
    shutil.copyfile(embedded_campaign_path("2007"), root / "campagnes" / "2007.toml")
    project = Project(root)
    c2007 = project.campaign("2007")
    returns = write_sample_returns(c2007, c2007.inputs_dir(root))
    _damage(returns[0], {"0102": -3, "0201": "12", "0301": 4.5, "0401": LONG_VALUE})
    _damage(returns[1], {form.KEY_TOTAL: 99999})
    returns[2].unlink()
    returns[3].unlink()
    run = project.consolidate(c2007, now=EDITED)
    board = project.status(c2007, today=dt.date(2007, 12, 5), now=CHASED)
    export = root / "export.csv"
    export.write_text("Intitulé de poste;Effectif\nChargée d'assistance médicale et technique;12\nComptable;2\n",
                      encoding="utf-8")
    review = project.suggest(c2007, export, "acta").path
    project.new_campaign("2026", date_arrete=dt.date(2026, 7, 1), date_limite=dt.date(2026, 10, 15))
    c2026 = project.campaign("2026")
    templates = project.write_templates(c2026, force=True).paths
    figures = sample_figures(c2007)
    for soc in c2026.societes.itertuples(index=False):
        write_template(c2026, soc.identifiant, c2026.inputs_dir(root) / soc.fichier, figures[soc.identifiant])
    later = project.consolidate(c2026, now=dt.datetime(2026, 9, 12, 10, 30))
    every_breakdown = load_campaign(embedded_campaign_path("2009"))  # the demo's: every breakdown, ETP
    return dict(template=write_template(c2007, "acta", root / "modele.xlsx"), template_n1=templates[0],
                template_ventilations=write_template(every_breakdown, "ima", root / "modele_2009.xlsx"),
                controle=run.control_report, retour=run.returns[0], consolidation=run.consolidation_path,
                diffusion=run.diffusion_path, consolidation_n1=later.consolidation_path, suivi=board.suivi_path,
                revue=review)


# --- the print settings, as written ----------------------------------------------------------------------

def test_every_sheet_prints_on_a4_with_its_header_and_footer(kinds):
    for kind, path in kinds.items():
        for ws in openpyxl.load_workbook(path).worksheets:
            where = f"{kind} / {ws.title}"
            setup = ws.page_setup
            assert str(setup.paperSize) == "9" and setup.orientation in ("portrait", "landscape"), where
            if ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage:
                high = setup.fitToHeight if ws.title not in ONE_PAGE else setup.fitToHeight or 1  # 1: the default
                assert (setup.fitToWidth or 1, high) == (1, 1 if ws.title in ONE_PAGE else 0), where
            else:  # a fixed scale, for the page breaks that keep headings with their rows
                assert 80 <= (setup.scale or 100) <= 100, where
            assert ws.oddHeader.left.text and ws.oddHeader.left.size == 8, where
            assert ws.oddFooter.right.text == "Page &P sur &N" and ws.oddFooter.left.text, where
            if ws.title not in NOT_TABLES:
                assert ws.print_title_rows, where
            if kind in ("controle", "suivi", "retour") and ws.title != form.SHEET_INPUT \
                    and ws.title != form.SHEET_GUIDE:
                assert ws.oddHeader.right.text == "Édité le 01/10/2007 09:00", where
            if kind in ("consolidation", "diffusion"):
                assert ws.oddHeader.right.text == "Édité le 12/09/2007 10:30", where


def test_landscape_where_the_table_is_wide(kinds):
    orientation = {(kind, ws.title): ws.page_setup.orientation for kind, path in kinds.items()
                   for ws in openpyxl.load_workbook(path).worksheets}
    assert orientation[("template", L.SHEET_GUIDE)] == "portrait"
    assert orientation[("template", L.SHEET_INPUT)] == "landscape"
    assert orientation[("diffusion", L.SHEET_SYNTHESE)] == "portrait"
    assert orientation[("consolidation", L.SHEET_SYNTHESE)] == "landscape"  # with the « Édition publiée » column
    assert orientation[("suivi", L.SHEET_REMINDERS)] == orientation[("diffusion", L.SHEET_NOTE)] == "portrait"
    assert orientation[("controle", L.CONTROL_SHEET_PROBLEMS)] == "landscape"


def test_the_guide_keeps_each_section_on_one_page(kinds, campaign):
    ws = openpyxl.load_workbook(kinds["template"])[form.SHEET_GUIDE]
    sections = {text for kind, text in guide(campaign, "Acta") if kind == "section"}
    heading_rows = {cell.row for cell in ws["B"] if cell.value in sections}
    breaks = [b.id for b in ws.row_breaks.brk]  # 0-based first row of a page = 1-based last row of the previous
    assert breaks, "the guide fits on one page: the test no longer shows anything"
    for first in breaks:
        assert first + 2 in heading_rows, f"page {first + 1} does not start at a section"
    how = next(r for r in heading_rows if ws.cell(r, 2).value == "Comment saisir")
    assert not any(b == how for b in breaks), "« Comment saisir » stranded at the bottom of a page"


def _fill(cell) -> str:
    return (cell.fill.fgColor.rgb or "")[-6:] if cell.fill and cell.fill.fill_type else ""


def test_no_page_of_the_input_sheet_ends_on_a_heading(kinds):
    ws = openpyxl.load_workbook(kinds["template"])[form.SHEET_INPUT]
    breaks = [b.id for b in ws.row_breaks.brk]
    assert breaks
    headings = {BLUE[1:], MID_BLUE[1:]}
    for last in breaks:  # the last row of a page (1-based) and the one before it
        assert _fill(ws.cell(last, 2)) not in headings, f"row {last} is a heading at the bottom of a page"


def test_page_breaks_keep_a_heading_with_its_rows():
    page = printable(False)[1]
    rows = [20.0] * 30 + [page / 2.5] * 4
    # Rows 30 and 31 must share a page: under the first 30 rows' 600 points, one of them would fit, not both.
    breaks = page_breaks(rows, [(30, 31)], landscape=False)
    assert breaks == [30, 32]  # 30 and 31 together, then the page is full
    assert page_breaks([20.0] * 10, [(5, 7)], landscape=False) == []  # everything fits: no break
    # A range taller than a page starts a page, then flows.
    assert page_breaks([20.0, page * 2], [(1, 1)], landscape=False) == [1]
    # Every full page ends with a break where it was counted (the application's own would drift from them): 100
    # rows of 20 points, as many a page as fit in 97 % of the printable height.
    per_page = int(page * 0.97 // 20)
    assert page_breaks([20.0] * 100, [], landscape=False) == list(range(per_page, 100, per_page))


def test_wrapped_lines_counts_whole_words():
    assert wrapped_lines("", 10) == 1
    assert wrapped_lines("un deux trois", 100) == 1
    assert wrapped_lines("aaaa bbbb cccc", 4) == 3  # 4.6 characters a line: one word each
    assert wrapped_lines("ligne\nligne", 50) == 2
    assert wrapped_lines("ÉCART TOTAL", 9) == 2 and wrapped_lines("écart total", 10) == 1  # capitals are wider


def test_suivi_is_sorted_dated_in_french_and_its_contacts_one_cell_each(kinds, campaign):
    ws = openpyxl.load_workbook(kinds["suivi"])[L.SHEET_STATUS]
    header = next(c.row for c in ws["A"] if c.value == L.STATUS_HEADINGS[0])
    rows = list(ws.iter_rows(min_row=header + 1, values_only=True))
    states = [r[1] for r in rows]
    assert states == ["manquant"] * 2 + ["rejeté"] * 2 + ["accepté"] * 5
    assert [r[0] for r in rows][4:] == sorted(r[0] for r in rows[4:])
    received = [r[4] for r in rows if r[4]]
    assert received and all(re.fullmatch(r"\d\d/\d\d/2007 \d\d:\d\d", d) for d in received)
    assert all(r[7].count("\n") == 1 and r[7].endswith(".example") for r in rows)
    assert ws.print_area == f"'{L.SHEET_STATUS}'!$A$1:$H${header + len(rows)}"  # the identifier is not printed


# --- rendered by LibreOffice ---------------------------------------------------------------------------

def _missing_tools() -> str:
    for tool, package in (("soffice", "libreoffice-calc-nogui"), ("pdftotext", "poppler-utils"),
                          ("pdfinfo", "poppler-utils")):
        if not shutil.which(tool):
            return f"{tool} absent (apt-get install {package})"
    return ""


TIMEOUT = 300


@pytest.fixture(scope="module")
def pdfs(kinds, tmp_path_factory) -> dict[str, Path]:
    if _missing_tools():
        pytest.skip(_missing_tools())
    out = tmp_path_factory.mktemp("pdf")
    copies = []
    for kind, path in kinds.items():
        copies.append(out / f"{kind}.xlsx")
        shutil.copyfile(path, copies[-1])
    args = ["soffice", f"-env:UserInstallation={(out / 'profile').as_uri()}", "--headless", "--norestore",
            "--convert-to", "pdf", "--outdir", str(out), *map(str, copies)]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"LibreOffice did not convert the workbooks within {TIMEOUT} s")
    done = {kind: out / f"{kind}.pdf" for kind in kinds}
    assert all(p.is_file() for p in done.values()), sorted(p.name for p in out.iterdir())
    return done


Word = tuple[float, float, float, float, str]


def _pages(pdf: Path) -> list[tuple[float, float, list[Word]]]:
    """Each page's width, height and words with their boxes, as poppler reads them."""
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for w, h, body in re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', xml, re.S):
        words = [(float(a), float(b), float(c), float(d), _unescape(t)) for a, b, c, d, t in
                 re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', body)]
        pages.append((float(w), float(h), words))
    return pages


def _unescape(text: str) -> str:
    return text.replace("&apos;", "'").replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">") \
        .replace("&amp;", "&")


def _overlapping(words: list[Word]) -> list[tuple[str, str]]:
    """Pairs of words drawn over each other (a text spilling out of its cell onto another)."""
    found = []
    ordered = sorted(words, key=lambda w: w[1])
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if b[1] >= a[3]:
                break
            dx = min(a[2], b[2]) - max(a[0], b[0])
            dy = min(a[3], b[3]) - max(a[1], b[1])
            if dx > 1 and dy > 0.5 * min(a[3] - a[1], b[3] - b[1]):
                found.append((a[4], b[4]))
    return found


def test_every_page_is_a4_and_their_number_sane(pdfs):
    for kind, pdf in pdfs.items():
        info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True, text=True,
                              check=True).stdout
        sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)
        low, high = PAGES[kind]
        assert low <= len(sizes) <= high, f"{kind}: {len(sizes)} pages"
        for w, h in sizes:
            assert sorted((round(float(w)), round(float(h)))) == [595, 842], f"{kind}: a page of {w} x {h} pts"


def test_text_is_readable_whole_and_within_the_margins(pdfs):
    for kind, pdf in pdfs.items():
        for n, (width, height, words) in enumerate(_pages(pdf), start=1):
            where = f"{kind}, page {n}"
            assert words, f"{where}: an empty page"
            # A 10-point word is 13 points high: printed at 8 points at least, 10.4.
            assert statistics.median(w[3] - w[1] for w in words) >= 10.3, f"{where}: text printed too small"
            margin = 0.4 * 72 - 3
            outside = [w[4] for w in words if w[0] < margin or w[2] > width - margin or w[3] > height]
            assert not outside, f"{where}: cut at the edge of the page: {outside[:5]}"
            assert not _overlapping(words), f"{where}: text drawn over text: {_overlapping(words)[:5]}"


def _text(pdf: Path) -> str:
    """The document's words in reading order, one space apart."""
    return " ".join(w[4] for _, _, words in _pages(pdf) for w in words)


def _assert_whole(document: str, text: str, where: str) -> None:
    """Every word of ``text`` printed somewhere in ``document`` (a text is wrapped in its cell, a word
    maybe after its hyphen)."""
    printed = document.split()
    words = set(printed) | {a + b for a, b in zip(printed, printed[1:]) if a.endswith("-")}
    missing = [w for w in text.split() if w not in words]
    assert not missing, f"{where}: « {text[:80]} » is missing {missing}"


def test_every_column_heading_prints_whole(pdfs, kinds, campaign):
    headings = {
        "controle": [*L.CONTROL_FILE_HEADINGS, *L.CONTROL_PROBLEM_HEADINGS],
        "suivi": [*L.STATUS_HEADINGS[:8], *L.SUBMISSIONS_HEADINGS],
        "retour": [*L.FEEDBACK_HEADINGS, *(c.heading for c in form.columns(campaign))],
        "template": [c.heading for c in form.columns(campaign)],
        "revue": [*M.REVIEW_HEADINGS, *M.REVIEW_CODES_HEADINGS],
        "diffusion": [*L.SYNTHESE_HEADINGS, *(h for h in L.BASE_HEADINGS if h), *L.BASE_SUBHEADINGS],
        "consolidation": [*L.SYNTHESE_HEADINGS, L.SYNTHESE_PUBLISHED, *L.SOURCES_HEADINGS, *L.SECRET_HEADINGS,
                          *L.CHART_HEADINGS],
        "consolidation_n1": [*L.EVOLUTION_HEADINGS, *L.SECRET_COHERENCE_HEADINGS],
    }
    for kind, names in headings.items():
        document = _text(pdfs[kind])
        for name in names:
            _assert_whole(document, name, kind)


def test_long_texts_print_whole(pdfs, kinds, campaign):
    wb = openpyxl.load_workbook(kinds["suivi"])
    reminders = "\n".join(c.value or "" for c in wb[L.SHEET_REMINDERS]["A"])
    assert "Bonjour," in reminders
    _assert_whole(_text(pdfs["suivi"]), reminders, "suivi: reminders")
    note = openpyxl.load_workbook(kinds["diffusion"])[L.SHEET_NOTE]
    _assert_whole(_text(pdfs["diffusion"]), " ".join(c.value for c in note["A"] if c.value), "diffusion: note")
    problems = openpyxl.load_workbook(kinds["controle"])[L.CONTROL_SHEET_PROBLEMS]
    texts = [c.value for row in problems.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    assert any(LONG_VALUE in t for t in texts)
    _assert_whole(_text(pdfs["controle"]), " ".join(texts), "controle: anomalies")
    for kind in ("template", "retour"):
        _assert_whole(_text(pdfs[kind]), " ".join(t for _, t in guide(campaign, "Acta")), f"{kind}: guide")


def test_every_breakdown_prints_three_pages_across_with_labels_whole_on_each(pdfs):
    """Every breakdown of the demo's 2009 campaign: three pages across at 80 % (it was five, the working time and
    the comments each on a page of their own), and the family, group and total labels wrapped within the title
    column, the one label column repeated on every page: none runs on under the next column's heading."""
    across = 0
    for n, (_, height, words) in enumerate(_pages(pdfs["template_ventilations"]), start=1):
        title = next((i for i, w in enumerate(words) if w[4] == "Intitulé" and words[i - 1][4] == "Code"
                      and words[i + 2][4] == "métier"), None)
        if title is None:
            continue  # the guide
        first, last = words[title], words[title + 2]
        across += any(w[4] == "permanents" and w[1] < first[1] for w in words)  # a band's first page: the title
        body = [w for w in words if first[3] + 2 < w[1] < height - 0.6 * 72]  # below the headings, above the footer
        left = min(w[0] for w in body if w[0] > words[title - 1][2])  # the labels: left-aligned, after the code
        right = first[0] + last[2] - left  # its heading is centred
        cut = [w[4] for w in body if left - 1 < w[0] < right and w[2] > right + 1]
        assert not cut, f"page {n}: runs beyond the title column: {cut[:5]}"
    assert across == 3


def test_many_companies_print_several_pages_wide_with_their_labels(demo, tmp_path):
    """Per company, a column: beyond about ten companies, pages side by side at 80 %, the code and the
    label repeated on each, the confidentiality warning within the first page."""
    _, result = demo
    c = dataclasses.replace(result.run.consolidation)
    wide = c.par_societe.copy()
    for i in range(11):
        wide[f"autre-{i}"] = wide.iloc[:, i % 9]
    c.__dict__["par_societe"] = wide  # the cached per-company table, with 20 companies
    wb = xlsxwriter.Workbook(tmp_path / "large.xlsx")
    _write_par_societe(wb, formats(wb), c, ("titre", ""))
    wb.close()
    ws = openpyxl.load_workbook(tmp_path / "large.xlsx")[L.SHEET_PER_COMPANY]
    assert ws.print_title_cols == "$A:$B" and ws.page_setup.scale == 80
    warning = next(str(r) for r in ws.merged_cells.ranges if r.min_row == 1)
    assert warning.startswith("A1:") and ws[warning.split(":")[1]].column < 14


# --- the French of every text a user reads ------------------------------------------------------------------

FRENCH_FAULTS = {
    "a plural left to the reader": re.compile(r"\w\(s\)"),
    "two spaces in a row": re.compile(r"\S {2,}\S"),
    "a hyphen for the minus sign": re.compile(r"(?:^|[\s(«])-\d"),
    "a number without its thousands space": re.compile(r"(?<![\w.,/:-])[1-9]\d{4,}\b"),
    "a word of Python or English": re.compile(r"\b(?:None|nan|NaN|True|False|Error|Warning|Sheet\d|Traceback)\b"),
}


def _texts(kinds) -> dict[str, list[str]]:
    """Every text a user reads: the string cells of each workbook, the e-mails and their plain text."""
    texts: dict[str, list[str]] = {}
    for kind, path in kinds.items():
        for ws in openpyxl.load_workbook(path).worksheets:
            texts[f"{kind} / {ws.title}"] = [
                v for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str) and v[:1] != "="]
    root = kinds["consolidation"].parents[2]
    for path in sorted(root.rglob("*.txt")) + sorted(root.rglob("*.eml")):
        if path.suffix == ".eml":
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            texts[str(path.relative_to(root))] = [str(message["Subject"]),
                                                  message.get_body(("plain",)).get_content()]
        else:
            texts[str(path.relative_to(root))] = path.read_text(encoding="utf-8").splitlines()
    return texts


def test_every_text_reads_as_french(kinds):
    texts = _texts(kinds)
    # The cartography's own wording (« présent(e)s sur le(s) plateau(x) ») is quoted as the observatory wrote it.
    cartography = "".join(path.read_text(encoding="utf-8")
                          for path in (Path(pipeline.__file__).parent / "data" / "nomenclature").glob("*.csv"))
    texts = {where: [t for t in lines if t not in cartography] for where, lines in texts.items()}
    assert any(".eml" in where for where in texts) and any(".txt" in where for where in texts)
    found = [f"{where}: {fault}: {text!r}" for where, lines in texts.items() for text in lines
             for fault, pattern in FRENCH_FAULTS.items() if pattern.search(text)]
    assert not found, "\n".join(found[:20])


def test_the_french_checks_find_what_they_look_for():
    """Each pattern catches the fault it names, and lets the right form through."""
    bad = ["1 erreur(s) détaillée(s)", "« 12  »", "(-78 %)", "lu comme 12345", "valeur None"]
    good = ["1 erreur, détaillée", "« 12 »", "(\u221278 %)", "lu comme 12\u202f345", "chargé(e)s 0101-1, 2007"]
    for text, (fault, pattern) in zip(bad, FRENCH_FAULTS.items()):
        assert pattern.search(text), fault
    for text in good:
        assert not any(p.search(text) for p in FRENCH_FAULTS.values()), text
