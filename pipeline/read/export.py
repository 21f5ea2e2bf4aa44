"""A company's HR export (.csv or .xlsx), as rows of cells, for the job-title assistant."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..core.errors import UserError
from ..core.texts import console as C
from ..core.texts import fr
from .xlsx import read_workbook


def export_rows(path: Path) -> list[list[object]]:
    """Every non-empty row of the export's first sheet (or of the CSV file)."""
    if not path.is_file():
        raise UserError(fr(C.EXPORT_MISSING, chemin=path))
    suffix = path.suffix.lower()
    if suffix == ".csv":
        data = path.read_bytes()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252")
        first = text.splitlines()[0] if text.strip() else ""
        delimiter = max([";", ",", "\t"], key=first.count)
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    elif suffix == ".xlsx":
        facts = read_workbook(path)
        try:
            if facts.problem or not facts.sheets or not facts.sheets[0].part:
                raise UserError(fr(C.EXPORT_UNREADABLE, nom=path.name))
            sheet = facts.sheet(facts.sheets[0].name)
        finally:
            facts.close()
        grid: dict[int, dict[int, object]] = {}
        for cell in sheet.cells:
            grid.setdefault(cell.row, {})[cell.col] = cell.value
        rows = [[cells.get(c) for c in range(1, max(cells) + 1)] for _, cells in sorted(grid.items())]
    else:
        raise UserError(fr(C.EXPORT_FORMAT, nom=path.name), [C.EXPORT_FORMAT_HELP])
    return [r for r in rows if any(v not in (None, "") for v in r)]
