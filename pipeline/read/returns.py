"""A returned file, whatever the spreadsheet saved it as: .xlsx (Excel, LibreOffice), .ods
(LibreOffice's own format) or .xls (Excel 97-2003). The content decides, not the name: an .ods renamed
.xlsx is read as an .ods. Only an OLE file (the container of .xls, and of password-protected .xlsx)
needs its name: it is read as an .xls when it is called one.
"""

from __future__ import annotations

from pathlib import Path

from .ods import read_ods
from .xls import read_xls
from .xlsx import WorkbookFacts, load, read_bytes


def read_return(path: Path, name: str | None = None) -> WorkbookFacts:
    """Read a returned file once and return its facts. Never raises for a file's content."""
    name = name or path.name
    data = load(path, name)
    if isinstance(data, WorkbookFacts):
        return data
    facts = read_bytes(name, data)
    if facts.problem == "opendocument":
        zf, facts._zip = facts._zip, None
        return read_ods(facts, zf, facts.members)
    if facts.problem == "ole" and Path(name).suffix.lower() == ".xls":
        return read_xls(facts, data)
    return facts
