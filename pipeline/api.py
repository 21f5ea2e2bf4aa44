"""The library: one Python API for a campaign. The command line, the demo, the benchmark and the tests
all call it; each ``effectifs`` command is a few lines over one method.

    >>> from pipeline.api import Project
    >>> project = Project("chemin/du/projet")
    >>> campaign = project.campaign("2026")
    >>> project.write_templates(campaign)          # templates_xlsx/2026/
    >>> run = project.consolidate(campaign)        # outputs/2026/: controle, consolidation, diffusion

A :class:`Project` is a folder holding ``campagnes/``, ``templates_xlsx/``, ``inputs/``, ``outputs/``
and the history (``outputs/historique.sqlite`` unless given).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from .check.batch import Checked, with_messages
from .check.export import export_titles
from .check.inputs import check_entries, check_folder
from .check.review import review_to_values
from .check.yoy import yoy_messages
from .compute import matching
from .compute.branch import Branch, branch_table
from .compute.consolidation import Consolidation, consolidate
from .compute.evolution import branch_evolution, compositions, groups_between, previous_values
from .compute.secret import PreviousEdition, Protection, consistency, protect, rules_of
from .compute.status import campaign_status
from .core.campaign import Campaign, load_campaign, new_campaign_file
from .core.nomenclature import Nomenclature, load_nomenclature
from .core.texts import console as C
from .core.texts import fr
from .core.vocab import Status
from .read.export import export_rows
from .read.folder import entries
from .store import history
from .write.control import write_control_report
from .write.consolidation import write_consolidation
from .write.dashboard import reminder_text, write_status
from .write.diffusion import write_diffusion
from .write.opendata import write_opendata
from .write.feedback import FEEDBACK_DIR, write_feedback
from .write.review import write_review
from .write.template import write_template, write_templates

CONTROL_REPORT = "controle.xlsx"
CONSOLIDATION = "consolidation.xlsx"
DIFFUSION = "diffusion.xlsx"
STATUS_REPORT = "suivi.xlsx"
REMINDERS = "relances.txt"
REVIEWS_DIR = "rapprochements"


@dataclass(frozen=True)
class Run:
    """What checking (and consolidating) a campaign's returns did."""

    checked: Checked                 # what the inputs folder holds now
    accepted: history.Accepted       # every company's latest accepted submission
    recorded: history.Recorded
    control_report: Path
    returns: list[Path]              # return-to-sender workbooks
    consolidation: Consolidation | None = None
    consolidation_path: Path | None = None
    diffusion_path: Path | None = None
    opendata_path: Path | None = None  # datapackage.json, beside diffusion.csv and metiers.csv

    @property
    def companies_accepted(self) -> list[str]:
        return self.accepted.companies

    @property
    def complete(self) -> bool:
        """Every expected company has an accepted submission and no file in the folder is rejected."""
        expected = self.checked.campaign.company_ids
        return expected <= set(self.companies_accepted) and not (self.checked.fichiers["statut"] == Status.REJECTED).any()


@dataclass(frozen=True)
class Previous:
    """The previous campaign, as the history holds it."""

    campaign: Campaign
    figures: pd.DataFrame   # models.Chiffres of every company's latest accepted submission
    branch: Branch


@dataclass(frozen=True)
class Templates:
    paths: list[Path]
    note: str               # on the N−1 reminder column


@dataclass(frozen=True)
class Dashboard:
    run: Run
    status: pd.DataFrame    # models.Suivi
    suivi_path: Path
    reminders_path: Path
    reminders: str


@dataclass(frozen=True)
class Suggestion:
    proposals: pd.DataFrame  # models.Propositions
    path: Path


@dataclass(frozen=True)
class Filled:
    path: Path
    company: str
    values: dict[str, int]
    checked: Checked


class Project:
    """A project folder: its campaigns, their files, and the history."""

    def __init__(self, root: str | Path = ".", db: str | Path | None = None):
        self.root = Path(root)
        self.db = Path(db) if db else history.default_path(self.root)

    # -- configuration ---------------------------------------------------------------------------

    def campaign(self, ref: str | Path) -> Campaign:
        return load_campaign(ref, self.root)

    def nomenclature(self, folder: str | Path | None = None) -> Nomenclature:
        return load_nomenclature(folder)

    def new_campaign(self, identifiant: str, depuis: str = "2007", date_arrete: dt.date | None = None,
                     date_limite: dt.date | None = None, libelle: str | None = None) -> Path:
        return new_campaign_file(identifiant, self.root, depuis, date_arrete, date_limite, libelle)

    def _connect(self):
        return history.connect(self.db)

    def previous(self, conn, campaign: Campaign) -> Previous | None:
        """The previous campaign's accepted figures; None when there is nothing to compare with."""
        if not campaign.precedente:
            return None
        before = load_campaign(campaign.precedente, self.root)
        latest = history.latest_accepted(conn, before.identifiant)
        if latest.empty:
            return None
        figures = history.figures_of(conn, before.identifiant, [int(i) for i in latest["id"]]).drop(
            columns="soumission")
        return Previous(before, figures, branch_table(before.nomenclature, figures))

    # -- the campaign's steps ---------------------------------------------------------------------

    def write_templates(self, campaign: Campaign, progress=None) -> Templates:
        """One template per company, with its N−1 reminder when the previous campaign is in the history."""
        if not campaign.precedente:
            return Templates(write_templates(campaign, self.root, progress=progress), "")
        conn = self._connect()
        try:
            previous = self.previous(conn, campaign)
        finally:
            conn.close()
        if previous is None:
            note = fr(C.TEMPLATES_NO_PREVIOUS, campagne=campaign.precedente)
            return Templates(write_templates(campaign, self.root, progress=progress), note)
        values = previous_values(campaign.nomenclature, previous.campaign.nomenclature, previous.branch)
        missing = sorted(campaign.company_ids - set(values))
        note = fr(C.TEMPLATES_PREVIOUS, campagne=previous.campaign.identifiant) + (
            fr(C.TEMPLATES_PREVIOUS_MISSING, societes=", ".join(missing)) if missing else ".")
        return Templates(write_templates(campaign, self.root, values, progress), note)

    def check(self, campaign: Campaign, progress=None) -> Run:
        """Check the returns of ``inputs/<campaign>/``, record them, write the control report and the
        return-to-sender workbooks."""
        return self._run(campaign, False, progress)

    def consolidate(self, campaign: Campaign, progress=None) -> Run:
        """:meth:`check`, then the branch table of every company's latest accepted submission:
        consolidation.xlsx (internal), diffusion.xlsx (published edition) and its open-data files
        (diffusion.csv, metiers.csv, datapackage.json)."""
        return self._run(campaign, True, progress)

    def _run(self, campaign: Campaign, consolidate_it: bool, progress=None) -> Run:
        out = campaign.outputs_dir(self.root)
        checked = check_folder(campaign, campaign.inputs_dir(self.root), progress)
        conn = self._connect()
        try:
            previous = self.previous(conn, campaign)
            if previous is not None:
                checked = with_messages(checked, yoy_messages(checked, previous.campaign, previous.figures))
            recorded = history.record(conn, checked, checked.recus)
            report = write_control_report(checked, out / CONTROL_REPORT)
            returns = write_feedback(checked, out / FEEDBACK_DIR)
            accepted = history.accepted(conn, campaign.identifiant)
            run = Run(checked, accepted, recorded, report, returns)
            if consolidate_it and not accepted.retenues.empty:
                conso = self._consolidation(campaign, checked, accepted, previous)
                run = replace(run, consolidation=conso,
                              consolidation_path=write_consolidation(conso, out / CONSOLIDATION),
                              diffusion_path=write_diffusion(conso, out / DIFFUSION),
                              opendata_path=write_opendata(conso, out))
                history.record_consolidation(conn, campaign.identifiant, list(accepted.retenues["soumission"]),
                                             conso.total)
        finally:
            conn.close()
        return run

    def _consolidation(self, campaign: Campaign, checked: Checked, accepted: history.Accepted,
                       previous: Previous | None) -> Consolidation:
        conso = consolidate(campaign, accepted.chiffres, accepted.retenues, accepted.commentaires, checked.fichiers)
        if previous is None:
            return replace(conso, protection=protect(conso.branch, campaign.nomenclature, rules_of(campaign)))
        evolution = branch_evolution(conso.branch, campaign.nomenclature, previous.branch,
                                     previous.campaign.nomenclature, previous.campaign.identifiant,
                                     previous.campaign.date_arrete, {**previous.campaign.names, **campaign.names})
        conso = replace(conso, evolution=evolution)
        return replace(conso, protection=self._linked(conso, previous))

    @staticmethod
    def _linked(conso: Consolidation, previous: Previous) -> Protection:
        """The protection of the edition and its evolution columns together with the previous edition, and the
        cells published in one campaign and masked in the other."""
        before_nom, nom = previous.campaign.nomenclature, conso.campaign.nomenclature
        before = protect(previous.branch, before_nom, rules_of(previous.campaign))
        groups = groups_between(before_nom, nom)
        parts, _ = compositions(conso.table, nom, before_nom, groups)
        edition = PreviousEdition(previous.branch, before_nom, before,
                                  dict(zip(zip(conso.table["niveau"], conso.table["code"]), parts)))
        protection = protect(conso.branch, nom, rules_of(conso.campaign), edition)
        coherence = consistency(protection, before, conso.evolution_rows, conso.table, groups,
                                previous.campaign.identifiant)
        return replace(protection, coherence=coherence)

    def status(self, campaign: Campaign, today: dt.date | None = None) -> Dashboard:
        """Check the returns, then where each company stands: suivi.xlsx and relances.txt."""
        run = self.check(campaign)
        pending: dict[str, list[str]] = {}
        for f in run.checked.fichiers.itertuples(index=False):
            if f.fichier in run.checked.en_attente:
                pending.setdefault(f.societe, []).append(f.fichier)
        conn = self._connect()
        try:
            subs = history.submissions(conn, campaign.identifiant)
            latest = history.latest_accepted(conn, campaign.identifiant)
        finally:
            conn.close()
        table = campaign_status(campaign, subs, latest, today, pending)
        out = campaign.outputs_dir(self.root)
        suivi = write_status(campaign, table, subs, out / STATUS_REPORT)
        text = reminder_text(campaign, table)
        reminders = out / REMINDERS
        reminders.write_text(text, encoding="utf-8")
        return Dashboard(run, table, suivi, reminders, text)

    # -- the job-title assistant --------------------------------------------------------------------

    def suggest(self, campaign: Campaign, export: str | Path, company: str, title_column: str | None = None,
                count_column: str | None = None, out: str | Path | None = None) -> Suggestion:
        """A review workbook proposing a métier for each distinct title of a company's HR export."""
        export = Path(export)
        titles = export_titles(export_rows(export), export.name, title_column, count_column)
        proposals = matching.suggest(campaign, titles)
        path = Path(out) if out else campaign.outputs_dir(self.root) / REVIEWS_DIR / f"revue_{company}.xlsx"
        return Suggestion(proposals, write_review(campaign, company, proposals, path))

    def fill(self, campaign: Campaign, review: str | Path, out: str | Path | None = None) -> Filled:
        """The company's template filled from its reviewed workbook, checked like any return."""
        company, values, comments = review_to_values(campaign, Path(review))
        name = campaign.template_name(company)
        path = Path(out) if out else campaign.outputs_dir(self.root) / REVIEWS_DIR / name
        write_template(campaign, company, path, values, comments)
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / path.name).write_bytes(path.read_bytes())
            checked = check_entries(campaign, entries(Path(tmp)))
        return Filled(path, company, values, checked)

    def evaluate_matching(self, campaign: Campaign) -> dict:
        return matching.evaluate(campaign.nomenclature)
