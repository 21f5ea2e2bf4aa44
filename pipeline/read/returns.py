"""A returned file, whatever the spreadsheet saved it as: .xlsx (Excel, LibreOffice), .ods
(LibreOffice's own format) or .xls (Excel 97-2003). The content decides, not the name: an .ods renamed
.xlsx is read as an .ods, an .xls renamed .xlsx as an .xls. An OLE file (the container of .xls) that
holds an encrypted package is a workbook saved with a password to open it, Excel's or LibreOffice's
(MS-OFFCRYPTO): it cannot be read, and says so.
"""

from __future__ import annotations

from pathlib import Path

from .ods import read_ods
from .xls import read_xls
from .xlsx import WorkbookFacts, load, read_bytes

# The name of the stream an encrypted workbook's content is in, as an OLE directory entry stores it
ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


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
    if facts.problem == "ole":
        if ENCRYPTED in data:
            facts.problem = "chiffre"
            return facts
        return read_xls(facts, data)
    return facts
