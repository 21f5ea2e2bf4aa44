"""The input folder of a campaign, checked: every entry read once and accounted for.

Entry point: :func:`check_folder`. Workbooks are read and checked across the machine's cores
(:func:`~pipeline.core.parallel.parallel_iter`); a file that breaks the reader in a way nobody foresaw
is reported as unreadable and the batch goes on.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from ..core.campaign import Campaign
from ..core.errors import UserError
from ..core.layout import build_layout
from ..core.parallel import parallel_iter
from ..core.texts import console as C
from ..core.texts import fr
from ..core.vocab import Severity, Status
from ..read.folder import Entry, entries, fingerprint
from ..read.returns import read_return
from ..read.xlsx import MAX_FILE
from .batch import Cells, Checked, check_batch
from .entries import classify
from .frozen import freeze, thaw
from .identity import attribute_by_name
from .workbook import FileCheck, check_workbook


def check_file(entry: Entry, campaign: Campaign) -> FileCheck:
    """One workbook read and checked; never raises for what the file holds."""
    try:
        facts = read_return(entry.path, entry.name)
        try:
            return check_workbook(facts, campaign)
        finally:
            facts.close()
    except Exception as err:  # noqa: BLE001 — one file never stops the batch
        report = FileCheck(entry.name)
        report.add(Severity.ERROR, "fichier.illisible", erreur=type(err).__name__)
        return report


class Known(Protocol):
    """Checks kept from earlier runs (:class:`pipeline.store.checks.CheckCache`), by file name and content."""

    def found(self, entries: list[Entry]) -> dict[str, bytes]:
        """The frozen check (:func:`~pipeline.check.frozen.freeze`) of each entry already checked as it is."""

    def keep(self, checks: list[tuple[str, str, bytes]]) -> None:
        """(file name, sha256, frozen check) of the files just read; the others of this campaign forgotten."""


# What a file's reading may owe to the machine rather than to the file, never kept: an .xls file is read by a child
# process bounded in time and memory (a busy machine may stop it); a file the reader broke on in a way nobody
# foresaw has no sha256.
_NOT_KEPT = {"fichier.xls", "fichier.xls_illisible"}


def _checker(campaign: Campaign, keep: bool) -> Callable[[Entry], tuple[FileCheck, bytes | None]]:
    """Check one entry; with ``keep``, also freeze what was found (in the worker that found it) to be kept."""
    def both(entry: Entry) -> tuple[FileCheck, bytes | None]:
        found = check_file(entry, campaign)
        kept = keep and found.sha256 and not any(m.code in _NOT_KEPT for m in found.messages)
        return found, freeze(found) if kept else None
    return both


def _thawed(data: bytes, name: str) -> FileCheck | None:
    """The check kept for the file ``name``; None when ``data`` is not one (a damaged cache: the file is read)."""
    try:
        check = thaw(data)
    except Exception:  # noqa: BLE001 — whatever the bytes, the file is read again
        return None
    return check if check.fichier == name else None


def check_entries(campaign: Campaign, items: list[Entry], progress=None, known: Known | None = None) -> Checked:
    """Check the given entries (a folder's, or files uploaded elsewhere), each of its own name (as
    :func:`~pipeline.read.folder.entries` gives them). ``known``: the checks of earlier runs; a workbook found there,
    same name and bytes, is not read again, and those read are added to it."""
    decided: dict[str, FileCheck] = {}
    workbooks = []
    for entry in items:
        kind = classify(entry)
        if kind is None:
            workbooks.append(entry)
            continue
        status, code, params = kind
        report = FileCheck(entry.name + ("/" if entry.kind == "dir" else ""), statut=str(status),
                           sha256=fingerprint(entry, MAX_FILE) if status == Status.REJECTED else "")
        report.add(Severity.INFO if status == Status.IGNORED else Severity.ERROR, code, **params)
        if status == Status.REJECTED:
            attribute_by_name(report, campaign)
        decided[entry.name] = report
        if progress:
            progress(1)
    build_layout(campaign.nomenclature)  # computed once, before any worker is forked
    campaign.company_ids  # noqa: B018 — likewise the set every file's identity is checked against
    fresh = _checker(campaign, keep=known is not None)
    frozen = known.found(workbooks) if known is not None else {}
    read = parallel_iter(fresh, [e for e in workbooks if e.name not in frozen], progress)
    # Each file's cells gathered as it arrives, in the folder's order (entries decided at once have none). A check
    # kept from an earlier run is thawed only then, not all at once (their cells would add up); one that does not
    # thaw (a damaged cache) is made again here.
    cells = Cells()
    by_name = dict(decided)
    kept: list[tuple[str, str, bytes]] = []
    for entry in workbooks:
        if entry.name in frozen:
            check, data = _thawed(frozen.pop(entry.name), entry.name), None
            if check is None:
                check, data = fresh(entry)
            if progress:
                progress(1)
        else:
            check, data = next(read)
        if data is not None:
            kept.append((entry.name, check.sha256, data))
        cells.add(check)
        by_name[entry.name] = check
    next(read, None)  # the reading's end: the last file's progress, the workers gone
    if known is not None:
        known.keep(kept)
    return check_batch(campaign, [by_name[e.name] for e in items], cells)


def check_folder(campaign: Campaign, folder: Path, progress=None, known: Known | None = None) -> Checked:
    """Read and check every entry of ``folder`` (created when missing: nothing has arrived yet).
    ``progress``: called with 1 for every entry done; ``known``: see :func:`check_entries`."""
    if folder.exists() and not folder.is_dir():
        raise UserError(fr(C.FOLDER_IS_A_FILE, chemin=folder))
    folder.mkdir(parents=True, exist_ok=True)
    return check_entries(campaign, entries(folder), progress, known)
