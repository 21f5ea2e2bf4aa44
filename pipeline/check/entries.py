"""What an entry of the input folder is, before any reading: a workbook to read, or not."""

from __future__ import annotations

from ..core.texts.messages import NO_EXTENSION
from ..core.vocab import Status
from ..read.folder import Entry

# What the operating system leaves in folders; never a return. Mentioned, then ignored.
SYSTEM_FILES = {"thumbs.db", "desktop.ini", ".ds_store", "ehthumbs.db"}
BY_EXTENSION = {".csv": "entree.csv", ".xlsm": "entree.xlsm"}
READ = (".xlsx", ".ods", ".xls")  # read by content whatever the extension says (pipeline.read.returns)


def classify(entry: Entry) -> tuple[Status, str, dict] | None:
    """(status, message code, parameters) for an entry that is not read; None for a workbook to read."""
    name = entry.name
    if entry.kind == "other":
        return Status.REJECTED, "entree.speciale", {}
    if entry.kind == "dir":
        return Status.IGNORED, "entree.dossier", {}
    if name.lower() in SYSTEM_FILES or ":zone.identifier" in name.lower() or name.startswith("._"):
        return Status.IGNORED, "entree.systeme", {}
    if name.startswith("~$") or (name.startswith(".~lock.") and name.endswith("#")):
        return Status.IGNORED, "entree.verrou", {}
    if name.startswith("."):
        return Status.IGNORED, "entree.cachee", {}
    if entry.suffix in READ:
        return None
    if entry.suffix in BY_EXTENSION:
        return Status.REJECTED, BY_EXTENSION[entry.suffix], {}
    return Status.REJECTED, "entree.inconnue", {"extension": entry.suffix or NO_EXTENSION}
