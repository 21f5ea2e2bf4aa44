"""The input folder of a campaign, checked: every entry read once and accounted for.

Entry point: :func:`check_folder`. Workbooks are read and checked across the machine's cores
(:func:`~pipeline.core.parallel.parallel_iter`); a file that breaks the reader in a way nobody foresaw
is reported as unreadable and the batch goes on.
"""

from __future__ import annotations

from pathlib import Path

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


def check_entries(campaign: Campaign, items: list[Entry], progress=None) -> Checked:
    """Check the given entries (a folder's, or files uploaded elsewhere)."""
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
        decided[entry.name] = report
        if progress:
            progress(1)
    build_layout(campaign.nomenclature)  # computed once, before any worker is forked
    campaign.company_ids  # noqa: B018 — likewise the set every file's identity is checked against
    # Each file's cells gathered as it arrives, in the folder's order (entries decided at once have none).
    cells = Cells()
    by_name = dict(decided)
    for entry, check in zip(workbooks, parallel_iter(lambda e: check_file(e, campaign), workbooks, progress)):
        cells.add(check)
        by_name[entry.name] = check
    return check_batch(campaign, [by_name[e.name] for e in items], cells)


def check_folder(campaign: Campaign, folder: Path, progress=None) -> Checked:
    """Read and check every entry of ``folder`` (created when missing: nothing has arrived yet).
    ``progress``: called with 1 for every entry done."""
    if folder.exists() and not folder.is_dir():
        raise UserError(fr(C.FOLDER_IS_A_FILE, chemin=folder))
    folder.mkdir(parents=True, exist_ok=True)
    return check_entries(campaign, entries(folder), progress)
