"""A company's HR export (.csv or .xlsx), as rows of cells, for the job-title assistant."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import UserError
from ..core.texts import console as C
from ..core.texts import fr
from .xlsx import XmlBroken, XmlRefused, read_workbook

SNIFFED_LINES = 20  # lines of a CSV file its delimiter is guessed from (an SIRH export's title lines first)


@dataclass(frozen=True)
class ExportSheet:
    """One sheet of an export (a CSV file is one sheet, with no name): its non-empty rows, each with its line
    number in the file, so that a message names the line HR sees."""

    name: str | None
    rows: list[tuple[int, list[object]]]


def _filled(rows: list[tuple[int, list[object]]]) -> list[tuple[int, list[object]]]:
    return [(line, cells) for line, cells in rows if any(v not in (None, "") for v in cells)]


def _csv_sheet(path: Path) -> ExportSheet:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    head = text.splitlines()[:SNIFFED_LINES]
    delimiter = max([";", ",", "\t"], key=lambda d: sum(line.count(d) for line in head))
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = []
    for cells in reader:
        rows.append((reader.line_num, list(cells)))
    return ExportSheet(None, _filled(rows))


def _xlsx_sheets(path: Path) -> list[ExportSheet]:
    facts = read_workbook(path)
    try:
        if facts.problem or not any(s.part for s in facts.sheets):
            raise UserError(fr(C.EXPORT_UNREADABLE, nom=path.name))
        sheets = []
        for ref in facts.sheets:
            if not ref.part:
                continue
            try:
                cells = facts.sheet(ref.name).cells
            except (XmlBroken, XmlRefused, KeyError) as exc:
                raise UserError(fr(C.EXPORT_UNREADABLE, nom=path.name)) from exc
            grid: dict[int, dict[int, object]] = {}
            for cell in cells:
                grid.setdefault(cell.row, {})[cell.col] = cell.value
            rows = [(line, [row.get(c) for c in range(1, max(row) + 1)]) for line, row in sorted(grid.items())]
            sheets.append(ExportSheet(ref.name, _filled(rows)))
    finally:
        facts.close()
    return sheets


def export_sheets(path: Path) -> list[ExportSheet]:
    """The export's sheets, in order (one for a CSV file), each with its non-empty rows."""
    if not path.is_file():
        raise UserError(fr(C.EXPORT_MISSING, chemin=path))
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return [_csv_sheet(path)]
    if suffix == ".xlsx":
        return _xlsx_sheets(path)
    raise UserError(fr(C.EXPORT_FORMAT, nom=path.name), [C.EXPORT_FORMAT_HELP])
