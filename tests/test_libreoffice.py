"""LibreOffice as a real spreadsheet client: fill a generated template, save, ingest; render to PNG.

Needs Debian's libreoffice-calc-nogui, python3-uno and poppler-utils (``.ci/run`` installs them);
without them these tests are skipped and say why.
"""

import os
import shutil
import signal
import subprocess
from pathlib import Path

import openpyxl
import pytest

from pipeline.core.form import KEY_NV, KEY_TOTAL, SHEET_INPUT
from pipeline.core.texts.labels import HEADING_COMMENT
from pipeline.write.template import write_template
from tests.conftest import cell_of
from tests.helpers import ACCEPTED, REJECTED, ingest

HELPER = Path(__file__).with_name("libreoffice_helper.py")
DEBIAN_PYTHON = "/usr/bin/python3"
TIMEOUT = 180


def _missing() -> str:
    if not shutil.which("soffice"):
        return "LibreOffice absent (apt-get install libreoffice-calc-nogui)"
    if not shutil.which("pdftoppm"):
        return "pdftoppm absent (apt-get install poppler-utils)"
    probe = subprocess.run([DEBIAN_PYTHON, "-c", "import uno"], capture_output=True) \
        if Path(DEBIAN_PYTHON).exists() else None
    if probe is None or probe.returncode != 0:
        return "module uno absent de /usr/bin/python3 (apt-get install python3-uno)"
    return ""


pytestmark = pytest.mark.skipif(bool(_missing()), reason=_missing() or "LibreOffice présent")


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """Run a command in its own process group; on timeout kill the whole group (soffice → oosplash → soffice.bin)."""
    proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"LibreOffice did not answer within {TIMEOUT} s: {' '.join(args)}")
    return subprocess.CompletedProcess(args, proc.returncode, out.decode(), err.decode())


def _fill(tmp_path: Path, src: Path, dst: Path, fmt: str, values: dict[str, object]) -> str:
    result = _run([DEBIAN_PYTHON, str(HELPER), str(tmp_path / "lo-profile"), str(src), str(dst), fmt,
                   *[f"{k}={v}" for k, v in values.items()]], tmp_path)
    assert result.returncode == 0 and dst.is_file(), result.stdout + result.stderr
    return result.stdout


FRENCH_LOCALE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">
<value>fr-FR</value></prop></item>
</oor:items>
"""


def _pdf(path: Path, out: Path, french: bool = False) -> Path:
    """``path`` printed to PDF by LibreOffice; ``french``: in a profile set to the French locale, as our users'."""
    out.mkdir(exist_ok=True)
    profile = out / "profile"
    if french:
        (profile / "user").mkdir(parents=True, exist_ok=True)
        (profile / "user" / "registrymodifications.xcu").write_text(FRENCH_LOCALE, encoding="utf-8")
    result = _run(["soffice", f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--convert-to",
                   "pdf", "--outdir", str(out), str(path)], out)
    pdf = out / (path.stem + ".pdf")
    assert pdf.is_file(), result.stdout + result.stderr  # --convert-to can fail with exit code 0
    return pdf


def _render(path: Path, out: Path) -> list[Path]:
    pdf = _pdf(path, out)
    _run(["pdftoppm", "-png", "-r", "50", str(pdf), str(out / path.stem)], out)
    pages = sorted(out.glob(f"{path.stem}*.png"))
    assert pages and all(p.stat().st_size > 2_000 for p in pages)
    return pages


def test_template_filled_in_libreoffice_is_accepted(campaign, tmp_path):
    blank = write_template(campaign, "garantie-assistance", tmp_path / "modele.xlsx")
    values = {"0101-1": 4, "0102": 61, "0103": 7, "0401": 12, "0903": 3, KEY_NV: 5, KEY_TOTAL: 92}
    inputs = campaign.inputs_dir(tmp_path)
    inputs.mkdir(parents=True)
    out = _fill(tmp_path, blank, inputs / "retour garantie.xlsx", "xlsx", values)
    assert "gap=0.0" in out
    result = ingest(campaign, tmp_path)
    assert result.fichiers["statut"].tolist() == [ACCEPTED], result.messages.to_string()
    got = result.effectifs.set_index("cle")["effectif"]
    assert {k: int(got[k]) for k in values if k != KEY_TOTAL} == {k: v for k, v in values.items() if k != KEY_TOTAL}
    # LibreOffice recalculated and stored the totals: they agree with ours.
    ws = openpyxl.load_workbook(inputs / "retour garantie.xlsx", data_only=True)[SHEET_INPUT]
    assert ws[cell_of(ws, "0101")].value == 4
    labels = {ws.cell(r, 2).value: ws.cell(r, 5).value for r in range(1, ws.max_row + 1)}
    assert labels["Sous-total 01 - Opérations d'assistance"] == 72
    assert labels["Total calculé (ventilés + non ventilés)"] == 92


def test_libreoffice_typing_text_is_reported(campaign, tmp_path):
    blank = write_template(campaign, "acta", tmp_path / "modele.xlsx")
    inputs = campaign.inputs_dir(tmp_path)
    inputs.mkdir(parents=True)
    _fill(tmp_path, blank, inputs / "acta.xlsx", "xlsx", {"0102": "environ 40", KEY_TOTAL: 40})
    result = ingest(campaign, tmp_path)
    assert result.fichiers["statut"].tolist() == [REJECTED]
    assert "la valeur « environ 40 » n'est pas un nombre" in " ".join(result.messages["message"])


def test_a_comment_typed_in_libreoffice_comes_back(campaign, tmp_path):
    """The comment cells are blank cells with the input style (no empty text in them): LibreOffice lets HR type there
    (the helper refuses a locked cell), and the comment is read with the figures, on its row."""
    blank = write_template(campaign, "acta", tmp_path / "modele.xlsx")
    inputs = campaign.inputs_dir(tmp_path)
    inputs.mkdir(parents=True)
    _fill(tmp_path, blank, inputs / "acta.xlsx", "xlsx",
          {"0102": 40, KEY_TOTAL: 40, f"0102@{HEADING_COMMENT}": "dont 3 intérimaires"})
    result = ingest(campaign, tmp_path)
    assert result.fichiers["statut"].tolist() == [ACCEPTED], result.messages.to_string()
    comments = result.commentaires.set_index("cle")
    assert comments.loc["0102", "texte"] == "dont 3 intérimaires" and comments.loc["0102", "source"] == "colonne"
    assert len(result.commentaires) == 1  # the blank comment cells of the other rows say nothing


def test_template_and_consolidation_render_to_png(demo, tmp_path):
    root, r = demo
    assert len(_render(r.templates[0], tmp_path / "template")) >= 3
    assert len(_render(r.consolidation_path, tmp_path / "consolidation")) >= 4


def test_every_breakdown_filled_in_libreoffice_is_accepted(tmp_path):
    """A campaign asking every breakdown and ETP: the template filled in LibreOffice as HR would (headcount, each
    breakdown's categories, the crossed sexe × âge pair, ETP), recalculated and saved, then read and consolidated."""
    from pipeline.core.campaign import embedded_campaign_path, load_campaign
    from pipeline.write.breakdowns import breakdown_table
    from tests.helpers import WARNED, consolidate
    later = load_campaign(embedded_campaign_path("2009"))
    blank = write_template(later, "acta", tmp_path / "modele.xlsx")
    rows = {"0102": (12, 7, 5), "0401": (4, 1, 3), KEY_NV: (2, 2, 0)}  # headcount, women, men
    values: dict[str, object] = {KEY_TOTAL: 18}
    for key, (n, women, men) in rows.items():
        values[key] = n
        values[f"{key}@Femmes"], values[f"{key}@Hommes"] = women, men
        values[f"{key}@Femmes, 26 à 35 ans"], values[f"{key}@Hommes, 36 à 45 ans"] = women, men
        values[f"{key}@26 à 35 ans"], values[f"{key}@36 à 45 ans"] = women, men
        values[f"{key}@CDI"], values[f"{key}@CDD"] = n - 1, 1
        values[f"{key}@Cadres"], values[f"{key}@Non-cadres"] = 1, n - 1
        values[f"{key}@Temps plein"], values[f"{key}@Temps partiel"] = n - 1, 1
        values[f"{key}@ETP au 01/07/2009"] = n - 0.5
    inputs = later.inputs_dir(tmp_path)
    inputs.mkdir(parents=True)
    out = _fill(tmp_path, blank, inputs / "acta.xlsx", "xlsx", values)
    assert "gap=0.0" in out
    result = ingest(later, tmp_path)
    assert result.fichiers["statut"].tolist() in ([ACCEPTED], [WARNED]), result.messages.to_string()
    c = consolidate(result)
    sexe = breakdown_table(c, later.saisie.of("sexe")).set_index(["niveau", "code"])
    assert sexe.loc[("metier", "0102"), "n:femmes"] == 7 and sexe.loc[("branche", ""), "n:hommes"] == 8
    # LibreOffice recalculated the breakdown totals of the template: they agree with ours.
    ws = openpyxl.load_workbook(inputs / "acta.xlsx", data_only=True)[SHEET_INPUT]
    col = next(c.column for c in ws[10] if c.value == "Femmes")
    labels = {ws.cell(r, 2).value: ws.cell(r, col).value for r in range(1, ws.max_row + 1)}
    assert labels["Total calculé (ventilés + non ventilés)"] == 10


def _french_change(value: float, percent: bool) -> str:
    """How a change reads in French: signed both ways with the minus sign, « % » after a space."""
    sign = "+" if value > 0 else "\u2212" if value < 0 else ""
    if percent:
        return sign + f"{abs(value) * 100:.2f}".replace(".", ",") + " %"
    return sign + f"{abs(value):.0f}"


def test_changes_and_shares_read_in_french(demo, tmp_path):
    """The consolidation of the demo's second campaign printed by a French LibreOffice: each change in people and
    in % signed (« +121 », « −3,70 % », never the hyphen « -1 »), a share « 50,94 % »; the figures are the
    consolidation's."""
    _, r = demo
    c = r.breakdowns.consolidation
    pdf = _pdf(r.breakdowns.consolidation_path, tmp_path / "fr", french=True)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    lines = [" ".join(line.replace("\u00a0", " ").replace("\u202f", " ").split()) for line in text.splitlines()]
    rows = c.evolution_rows[c.table["niveau"].eq("metier").to_numpy()]
    codes = c.table.loc[c.table["niveau"].eq("metier"), "code"].tolist()
    compared = [(code, e) for code, e in zip(codes, rows.itertuples(index=False)) if e.variation == e.variation]
    assert any(e.variation < 0 for _, e in compared) and any(e.variation > 0 for _, e in compared)
    for code, e in compared:
        expected = f"{_french_change(e.variation, False)} {_french_change(e.variation_pct, True)}"
        assert any(line.startswith(code + " ") and expected in line for line in lines), (code, expected)
    top = c.table[c.table["niveau"].eq("metier")].sort_values("effectif").iloc[-1]
    share = f"{top['pourcentage'] * 100:.2f}".replace(".", ",") + " %"
    assert any(line.startswith(top["code"] + " ") and share in line for line in lines), share
    assert not any(" -" + ch in line for line in lines for ch in "0123456789")
