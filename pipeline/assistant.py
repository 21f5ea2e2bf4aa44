"""The job-title assistant's part of the library (:class:`pipeline.api.Project` inherits it): a review
workbook proposing a métier for each title of an HR export, the template filled from it, the lexicon that
learns from validated reviews and from the observatory's decisions, and the assistant's measured accuracy."""

from __future__ import annotations

import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .check.batch import Checked
from .check.export import export_titles
from .check.inputs import check_entries
from .check.lexicon import lexicon_decisions
from .check.review import review_to_values
from .compute import lexicon as lexicons
from .compute.evaluation import Evaluation, evaluate
from .compute.matching import Matcher, suggest
from .core.campaign import Campaign
from .core.correspondences import following
from .core.nomenclature import load_nomenclature
from .core.titles import (
    load_abbreviations,
    load_control_set,
    load_evaluation_set,
    load_starter_lexicon,
    load_variants,
)
from .core.vocab import LexiconStatus, Status
from .read.export import export_sheets
from .read.folder import entries
from .store import lexicon as stored
from .write.lexicon import write_lexicon
from .write.review import write_review
from .write.template import write_template

REVIEWS_DIR = "rapprochements"


@dataclass(frozen=True)
class Suggestion:
    proposals: pd.DataFrame  # models_titles.Propositions
    path: Path
    notes: tuple[str, ...] = ()  # information lines about the export: lines left out, and why


@dataclass(frozen=True)
class Filled:
    path: Path
    company: str
    values: dict[str, int]
    checked: Checked
    learned: int             # titles added to the lexicon (none while the filled template is rejected)


@dataclass(frozen=True)
class LexiconLoad:
    placed: int              # titles added or moved to another code
    withdrawn: int           # (title, code) lines withdrawn


class TitleAssistant:
    """The job-title assistant's methods of a project (``root``, and ``_connect()`` to its history)."""

    root: Path

    def _connect(self) -> sqlite3.Connection:
        raise NotImplementedError

    def lexicon(self) -> pd.DataFrame:
        """The job-title lexicon in effect (:class:`~pipeline.core.models_titles.EntreesLexique`): the starter lexicon,
        every title validated by a company, the observatory's decisions."""
        conn = self._connect()
        try:
            recorded = stored.recorded(conn)
        finally:
            conn.close()
        return lexicons.effective(load_starter_lexicon(load_nomenclature()), recorded)

    def matcher(self, campaign: Campaign) -> Matcher:
        return Matcher(campaign.nomenclature, load_abbreviations(), self.lexicon())

    def suggest(self, campaign: Campaign, export: str | Path, company: str, title_column: str | None = None,
                count_column: str | None = None, out: str | Path | None = None,
                per_employee: bool = False) -> Suggestion:
        """A review workbook proposing a métier for each distinct title of a company's HR export (``per_employee``:
        each line is one person, whatever numbers it holds)."""
        export = Path(export)
        read = export_titles(export_sheets(export), export.name, title_column, count_column, per_employee)
        proposals = suggest(self.matcher(campaign), read.titles)
        path = Path(out) if out else campaign.outputs_dir(self.root) / REVIEWS_DIR / f"revue_{company}.xlsx"
        return Suggestion(proposals, write_review(campaign, company, proposals, path), tuple(read.notes))

    def fill(self, campaign: Campaign, review: str | Path, out: str | Path | None = None) -> Filled:
        """The company's template filled from its reviewed workbook, checked like any return; when it is not
        rejected, the titles HR confirmed join the lexicon."""
        campaign = following(campaign, self.root)  # its guide says what changed in the nomenclature, as the template's
        reviewed = review_to_values(campaign, Path(review), self.matcher(campaign).settle)
        name = campaign.template_name(reviewed.company)
        path = Path(out) if out else campaign.outputs_dir(self.root) / REVIEWS_DIR / name
        write_template(campaign, reviewed.company, path, reviewed.values, reviewed.comments)
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / path.name).write_bytes(path.read_bytes())
            checked = check_entries(campaign, entries(Path(tmp)))
        learned = 0
        if (checked.fichiers["statut"] != Status.REJECTED).all():
            conn = self._connect()
            try:
                learned = stored.record_review(conn, lexicons.entries(reviewed.titles, reviewed.company,
                                                                      campaign.identifiant, stored.now()))
            finally:
                conn.close()
        return Filled(path, reviewed.company, reviewed.values, checked, learned)

    def export_lexicon(self, campaign: Campaign, path: str | Path) -> Path:
        """The lexicon workbook, for the observatory to review (codes shown with the campaign's nomenclature)."""
        return write_lexicon(campaign, self.lexicon(), path)

    def load_lexicon(self, campaign: Campaign, path: str | Path) -> LexiconLoad:
        """The observatory's decisions of a reviewed lexicon workbook, recorded in the history."""
        decisions = lexicon_decisions(campaign, Path(path), self.matcher(campaign).settle)
        conn = self._connect()
        try:
            stored.record_decisions(conn, lexicons.decisions(decisions, stored.now()))
        finally:
            conn.close()
        placed = int((decisions["statut"] == LexiconStatus.VALID).sum())
        return LexiconLoad(placed, len(decisions) - placed)

    def evaluate_matching(self, campaign: Campaign) -> Evaluation:
        """The assistant's accuracy on the evaluation set, as shipped and after learning (no history used)."""
        nom = campaign.nomenclature
        return evaluate(nom, load_abbreviations(), load_starter_lexicon(load_nomenclature()),
                        load_evaluation_set(nom), load_control_set(nom), load_variants(nom))
