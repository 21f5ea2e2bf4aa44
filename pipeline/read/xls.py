"""The reader of a return saved in the old Excel 97-2003 format (.xls, BIFF): the values of its cells,
through python-calamine, as the same :class:`~pipeline.read.xlsx.WorkbookFacts` as an .xlsx gives.

What BIFF keeps and calamine gives is less than an .xlsx holds: the stored values and merged areas, but
no formula text, no number format beyond dates, no error value (an error cell reads as empty), no note
and no custom document property; the template's identity is the text printed on its sheets. The checks
therefore read and check such a file, attribute it to its company, and still reject it
(``fichier.xls``): see :mod:`pipeline.check.workbook`.

calamine builds each sheet as a dense grid (two cells far apart cost the whole area between them), in
native code that aborts rather than raise when memory runs out. It therefore runs in a child process
limited in address space and time; whatever happens there, this process gets facts or a ``problem``.
"""

from __future__ import annotations

import json
import subprocess
import sys

from .ods import DATE, FORMATS, TIME
from .sheet import CellFact, SheetFacts
from .xlsx import SheetRef, WorkbookFacts

MAX_AREA = 2_000_000          # cells of a sheet's grid (a template's sheet: 78 x 6)
MEMORY = 512 * 1024 * 1024    # address space of the child process: a template needs a tenth of it
SECONDS = 30

CHILD = r"""
import datetime as dt, json, resource, sys
for kind, wanted in ((resource.RLIMIT_AS, {memory}), (resource.RLIMIT_CPU, {seconds})):
    hard = resource.getrlimit(kind)[1]  # a limit set on this process's parent stays the ceiling
    limit = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    resource.setrlimit(kind, (limit, hard))
import io
import python_calamine as pc
EPOCH, LEAP = dt.datetime(1899, 12, 30), dt.datetime(1900, 3, 1)
try:
    book = pc.CalamineWorkbook.from_filelike(io.BytesIO(sys.stdin.buffer.read()))
except pc.PasswordError:
    print(json.dumps({{"problem": "chiffre"}})); sys.exit(0)
except Exception:
    print(json.dumps({{"problem": "xls_illisible"}})); sys.exit(0)
out = []
for meta in book.sheets_metadata:
    sheet = book.get_sheet_by_name(meta.name)
    if sheet.height * sheet.width > {area}:
        print(json.dumps({{"problem": "xls_illisible"}})); sys.exit(0)
    r0, c0 = sheet.start or (0, 0)
    cells = []
    for r, row in enumerate(sheet.iter_rows(), start=r0 + 1):
        for c, v in enumerate(row, start=c0 + 1):
            if v == "" or v is None:
                continue
            if isinstance(v, bool):
                cells.append((r, c, v, "b", 0))
            elif isinstance(v, (int, float)):
                cells.append((r, c, v, "n", 0))
            elif isinstance(v, dt.datetime) or isinstance(v, dt.date):
                moment = v if isinstance(v, dt.datetime) else dt.datetime.combine(v, dt.time())
                serial = (moment - EPOCH).total_seconds() / 86400
                # Excel counts a 29/02/1900 that never was: its serial numbers before March 1900 are one less.
                cells.append((r, c, serial - 1 if moment < LEAP else serial, "n", {date}))
            elif isinstance(v, dt.time):
                cells.append((r, c, (v.hour * 3600 + v.minute * 60 + v.second) / 86400, "n", {time}))
            elif isinstance(v, dt.timedelta):
                cells.append((r, c, v.total_seconds() / 86400, "n", {time}))
            else:
                cells.append((r, c, str(v), "s", 0))
    merged = [(a[0] + 1, a[1] + 1, b[0] + 1, b[1] + 1) for a, b in (sheet.merged_cell_ranges or [])]
    out.append((meta.name, str(meta.visible).rsplit(".", 1)[-1].lower(), cells, merged))
print(json.dumps({{"sheets": out}}))
"""


class XlsFacts(WorkbookFacts):
    """The facts of an .xls: every sheet read at once, in the child process."""

    def sheet(self, name: str) -> SheetFacts:
        return self._parsed[name]

    def number_format(self, style: int) -> str:
        return FORMATS[style] if 0 <= style < len(FORMATS) else "General"


def read_xls(facts: WorkbookFacts, data: bytes) -> XlsFacts:
    """The facts of an .xls file's bytes (``facts``: what is known already: name, size, hash)."""
    xls = XlsFacts(facts.name, facts.size, facts.sha256, facts.head, format="xls")
    code = CHILD.format(memory=MEMORY, seconds=SECONDS, area=MAX_AREA, date=DATE, time=TIME)
    try:
        done = subprocess.run([sys.executable, "-I", "-c", code], input=data, capture_output=True,
                              timeout=SECONDS + 5, check=False)
        answer = json.loads(done.stdout or b"{}") if done.returncode == 0 else {}
    except subprocess.TimeoutExpired:
        answer = {}
    except (OSError, ValueError):
        answer = {"problem": "xls_illisible"}
    if "sheets" not in answer:
        xls.problem = answer.get("problem", "xls_illisible")
        return xls
    for name, state, cells, merged in answer["sheets"]:
        sheet = SheetFacts(name, [CellFact(r, c, v, kind, None, style) for r, c, v, kind, style in cells],
                           [tuple(m) for m in merged])
        xls.sheets.append(SheetRef(name, state, "xls"))
        xls._parsed[name] = sheet
    return xls
