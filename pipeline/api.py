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

import contextlib
import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd
from filelock import FileLock, Timeout

from .assistant import REVIEWS_DIR, Filled, LexiconLoad, Suggestion, TitleAssistant  # noqa: F401 — re-exported
from .check.batch import Checked
from .check.inputs import check_folder
from .check.tasks import secretary_tasks
from .check.yoy_shares import compared
from .compute.branch import Branch, branch_table
from .compute.consolidation import Consolidation, consolidate
from .compute.evolution import compositions, evolutions, groups_between, previous_values
from .compute.secret import PreviousEdition, Protection, consistency, protect, rules_of
from .compute.status import campaign_status
from .core.campaign import (
    CAMPAIGNS_DIR,
    Campaign,
    default_campaign,
    latest_campaign,
    load_campaign,
    new_campaign_file,
    readiness_problems,
)
from .core.correspondences import following, previous_campaign
from .core.errors import UserError
from .core.nomenclature import Nomenclature, copy_nomenclature, load_nomenclature
from .core.parallel import release_memory
from .core.texts import console as C
from .core.texts import fr
from .core.vocab import Status
from .portal import Portal
from .store import checks as kept_checks
from .store.editions import published_sources
from .store import held, history
from .store import web as web_store
from .write.consolidation import write_consolidation
from .write.control import write_control_report
from .write.dashboard import reminder_text, write_reminders, write_status
from .write.diffusion import write_diffusion
from .write.feedback import FEEDBACK_DIR, Round, feedback_started, returned_contents, sent_back
from .write.mail import write_send_out
from .write.opendata import write_opendata
from .write.private import owner_only as _private
from .write.refresh import Retired, Written, write_templates
from .write.xlsx import OutputBusy, remove_stale_temporaries

CONTROL_REPORT = "controle.xlsx"
CONSOLIDATION = "consolidation.xlsx"
DIFFUSION = "diffusion.xlsx"
STATUS_REPORT = "suivi.xlsx"
REMINDERS = "relances.txt"
MAILS_DIR = "courriels"
REMINDERS_DIR = "relances"
SEND_DIR = "envoi"
LOCK_WAIT = 600  # seconds a run waits for another run of the same campaign before giving up
BESIDE = 2_000  # files in a batch up to which the returns are written beside the consolidation (Project._run)


@dataclass(frozen=True)
class Run:
    """What checking (and consolidating) a campaign's returns did."""

    checked: Checked                 # what the inputs folder holds now (settled: Checked.settled)
    accepted: history.Accepted       # every company's latest accepted submission
    recorded: history.Recorded
    control_report: Path
    returns: list[Path]              # return-to-sender workbooks
    tasks: pd.DataFrame              # what the secretary settles (pipeline.check.tasks)
    consolidation: Consolidation | None = None
    consolidation_path: Path | None = None
    diffusion_path: Path | None = None
    opendata_path: Path | None = None  # datapackage.json, beside diffusion.csv and metiers.csv
    busy: list[Path] = field(default_factory=list)  # outputs left as they were: open in another program
    returned: dict[str, str] = field(default_factory=dict)  # company -> what its returned workbook holds (feedback)

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
    branch: Branch | None   # None when not asked for


@dataclass(frozen=True)
class Templates:
    """What ``modeles`` did: every company's template (new, changed or left as it was) and the templates of
    companies no longer in the campaign, moved into ``anciens/``."""

    written: list[Written]
    retired: list[Retired]
    note: str               # on the N−1 reminder column
    drafts: Path            # the folder of the e-mails that send them

    @property
    def paths(self) -> list[Path]:
        """Every company's template, in the campaign file's order."""
        return [w.path for w in self.written]


@dataclass(frozen=True)
class Dashboard:
    run: Run
    status: pd.DataFrame    # models.Suivi
    suivi_path: Path
    reminders_path: Path
    reminders: str               # whom to chase and why (relances.txt adds each e-mail)
    drafts: Path | None = None   # the folder of the reminder e-mails, when there are some


def _protected(branch: Branch, campaign: Campaign, edition: PreviousEdition | None = None) -> Protection:
    """The protection of a campaign's published edition: the headcount and its breakdowns (not the ETP), as the
    campaign declares them, with the previous edition when it is linked to it."""
    saisie = campaign.saisie
    return protect(branch.counts(), campaign.nomenclature, rules_of(campaign), edition,
                   partitions=saisie.partitions(), totals_only=saisie.totals_only)


def _written(writer, busy: list[Path], *args):
    """What ``writer`` wrote; an output another program holds open is noted in ``busy`` and the run goes on."""
    try:
        return writer(*args)
    except OutputBusy as err:
        busy += err.paths
        return None


class Project(Portal, TitleAssistant):
    """A project folder: its campaigns, their files, and the history; the job-title assistant
    (:class:`~pipeline.assistant.TitleAssistant`) and the web front's methods (:class:`~pipeline.portal.Portal`)
    are part of it."""

    def __init__(self, root: str | Path = ".", db: str | Path | None = None):
        self.root = Path(root)
        self.db = Path(db) if db else history.default_path(self.root)

    # -- configuration ---------------------------------------------------------------------------

    @property
    def campaigns_dir(self) -> Path:
        return self.root / CAMPAIGNS_DIR

    def campaign(self, ref: str | Path | None = None) -> Campaign:
        """A campaign of the project: an identifier or a .toml file; by default the latest one."""
        return load_campaign(ref, self.root) if ref else default_campaign(self.root)

    def nomenclature(self, folder: str | Path | None = None) -> Nomenclature:
        return load_nomenclature(folder)

    def copy_nomenclature(self, folder: str | Path, nomenclature: Nomenclature | None = None) -> Path:
        """A copy of ``nomenclature`` (the current one by default) to edit for a new campaign: its familles.csv
        and metiers.csv as they are, and an empty correspondances.csv to describe the changes."""
        return copy_nomenclature(nomenclature or self.current_nomenclature(), Path(folder))

    def current_nomenclature(self) -> Nomenclature:
        """The latest campaign's nomenclature; the packaged one when the project has no campaign yet."""
        latest = latest_campaign(self.root)
        return latest.nomenclature if latest is not None else load_nomenclature(None)

    def new_campaign(self, identifiant: str, depuis: str | None = None, date_arrete: dt.date | None = None,
                     date_limite: dt.date | None = None, libelle: str | None = None) -> Path:
        return new_campaign_file(identifiant, self.root, depuis, date_arrete, date_limite, libelle)

    def _connect(self):
        return history.connect(self.db)

    def previous(self, conn, campaign: Campaign, branch: bool = True) -> Previous | None:
        """The figures of the previous campaign's edition, its last consolidation (never consolidated: its accepted
        figures), and its branch table unless ``branch`` is false (a web upload's comparison needs the figures only);
        None when there is nothing to compare with. A correspondence table that
        does not describe the change of nomenclature between them is refused (UserError), figures or not."""
        before = previous_campaign(campaign, self.root)
        if before is None or not (sources := published_sources(conn, before.identifiant)):  # what its edition used
            return None
        figures = history.figures_of(conn, before.identifiant, sources).drop(columns="soumission")
        return Previous(before, figures, branch_table(before.nomenclature, figures) if branch else None)

    # -- the campaign's steps ---------------------------------------------------------------------

    def write_templates(self, campaign: Campaign, progress=None, force: bool = False) -> Templates:
        """One template per company, with its N−1 reminder when the previous campaign is in the history, and the
        e-mail that sends it (outputs/<campaign>/courriels/envoi/); written only when new or changed, the
        templates of companies no longer listed moved into ``anciens/`` (:mod:`.write.refresh`). Refused while
        the campaign file has placeholder contacts or a past deadline, unless ``force``."""
        problems = readiness_problems(campaign)
        if problems and not force:
            raise UserError(fr(C.NOT_READY, chemin=campaign.source), [*problems, C.NOT_READY_HELP])
        previous, campaign = None, following(campaign, self.root)  # its guide says what changed in the nomenclature
        if campaign.precedente:
            conn = self._connect()
            try:
                previous = self.previous(conn, campaign)
            finally:
                conn.close()
        if previous is None:
            note = fr(C.TEMPLATES_NO_PREVIOUS, campagne=campaign.precedente) if campaign.precedente else ""
            written, retired = write_templates(campaign, self.root, progress=progress)
        else:
            values = previous_values(campaign.nomenclature, previous.campaign.nomenclature, previous.branch)
            missing = sorted(campaign.names[c] for c in campaign.company_ids - set(values))
            note = fr(C.TEMPLATES_PREVIOUS, campagne=previous.campaign.identifiant) + (
                fr(C.TEMPLATES_PREVIOUS_MISSING, societes=", ".join(missing)) if missing else ".")
            written, retired = write_templates(campaign, self.root, values, progress)
        campaign.inputs_dir(self.root).mkdir(parents=True, exist_ok=True)  # where the returns are to go
        drafts = campaign.outputs_dir(self.root) / MAILS_DIR / SEND_DIR
        _private(*(w.path for w in written))
        links = self.saved_links(campaign)  # the private links made by `liens` stay in the e-mails
        mails = write_send_out(campaign, {w.company: w.path for w in written}, drafts,
                               previous.campaign.identifiant if previous is not None else None, links)
        _private(*mails, *(m.with_suffix(".txt") for m in mails))  # the templates attached, their N−1 reminders
        return Templates(written, retired, note, drafts)

    def check(self, campaign: Campaign, progress=None, now: dt.datetime | None = None) -> Run:
        """Check the returns of ``inputs/<campaign>/``, record them, write the control report and the
        return-to-sender workbooks. ``now``: when the files are seen to arrive (default: now)."""
        return self._run(campaign, False, progress, now)

    def consolidate(self, campaign: Campaign, progress=None, now: dt.datetime | None = None) -> Run:
        """:meth:`check`, then the branch table of every company's latest accepted submission:
        consolidation.xlsx (internal), diffusion.xlsx (published edition) and its open-data files
        (diffusion.csv, metiers.csv, datapackage.json)."""
        return self._run(campaign, True, progress, now)

    @contextlib.contextmanager
    def _campaign_lock(self, campaign: Campaign):
        """One run at a time per campaign: a second one waits for the first, then goes on."""
        out = campaign.outputs_dir(self.root)
        for folder in (out.parent, out, out / FEEDBACK_DIR):
            if folder.exists() and not folder.is_dir():
                raise UserError(fr(C.FOLDER_IS_A_FILE, chemin=folder))
        out.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(out.parent / f".{campaign.dossier}.verrou")
        try:
            lock.acquire(timeout=LOCK_WAIT)
        except Timeout:
            raise UserError(fr(C.CAMPAIGN_BUSY, campagne=campaign.identifiant), [C.CAMPAIGN_BUSY_HELP]) from None
        try:
            for folder in (out, out / FEEDBACK_DIR, out / MAILS_DIR / SEND_DIR, out / MAILS_DIR / REMINDERS_DIR):
                remove_stale_temporaries(folder)
            yield
        finally:
            lock.release()

    def _run(self, campaign: Campaign, consolidate_it: bool, progress=None, now: dt.datetime | None = None) -> Run:
        out = campaign.outputs_dir(self.root)
        campaign = following(campaign, self.root)  # a wrong correspondence table refused before the returns are read
        try:
            return self._checked(campaign, out, consolidate_it, progress, now)
        finally:  # whatever stops the run, what it wrote of the companies' figures is private
            _private(self.db, self.db.with_name(kept_checks.NAME), out / CONTROL_REPORT, out / CONSOLIDATION,
                     out / FEEDBACK_DIR)

    def _checked(self, campaign: Campaign, out: Path, consolidate_it: bool, progress, now: dt.datetime | None) -> Run:
        with self._campaign_lock(campaign):
            checked = check_folder(campaign, campaign.inputs_dir(self.root), progress,
                                   kept_checks.CheckCache(self.db.with_name(kept_checks.NAME), campaign))
            release_memory()  # what the workers sent, once in the batch's frames: some 60 MB at 10,000 files
            busy: list[Path] = []
            conn = self._connect()
            try:
                previous = self.previous(conn, campaign)
                if previous is not None:
                    checked = compared(checked, previous.campaign, previous.figures)
                moment = (now or dt.datetime.now()).replace(microsecond=0)
                recorded = history.record(conn, checked, moment.isoformat())
                held.keep_held(conn, checked)  # for the web dashboard: the files « à départager » now
                retenues = history.retained(conn, campaign)
                tasks = secretary_tasks(checked)
                report = _written(write_control_report, busy, checked, out / CONTROL_REPORT, tasks, moment, retenues)
                round_ = self._round(conn, campaign, checked, retenues, previous, now)
                to_send = checked.settled(keep=set(sent_back(checked).values()))
                returned = returned_contents(to_send)
                checked = checked.settled()  # before the return-to-sender workers are forked, and given back: at
                release_memory()  # 10,000 returns, the tree's peak while they work 225 MB, not 234
                # Up to a few thousand files, workers write the returns while the consolidation is made; beyond,
                # before (the consolidation's memory would add to theirs, the peak of a large batch).
                with feedback_started(to_send, out / FEEDBACK_DIR, round_, len(checked.fichiers) <= BESIDE) as sent:
                    del to_send
                    accepted = history.accepted(conn, campaign, retenues)
                    release_memory()
                    run = Run(checked, accepted, recorded, report, [], tasks, returned=returned)
                    if consolidate_it and not accepted.retenues.empty:
                        conso = self._consolidation(campaign, checked, accepted, previous,
                                                    web_store.review_frame(conn, campaign.identifiant))
                        release_memory()
                        run = replace(run, consolidation=conso, consolidation_path=_written(
                            write_consolidation, busy, conso, out / CONSOLIDATION, moment),
                            diffusion_path=_written(write_diffusion, busy, conso, out / DIFFUSION, moment),
                            opendata_path=_written(write_opendata, busy, conso, out))
                        if run.diffusion_path is not None:  # the edition written: what the next campaign compares
                            history.record_consolidation(conn, campaign.identifiant,  # with (store.editions)
                                                         list(accepted.retenues["soumission"]), conso.total)
                    run = replace(run, returns=_written(sent, busy) or [])
            finally:
                conn.close()
        return replace(run, busy=busy)

    @staticmethod
    def _round(conn, campaign: Campaign, checked: Checked, retenues: pd.DataFrame, previous: Previous | None,
               now: dt.datetime | None) -> Round:
        """When each file being sent back arrived, the accepted file still used when a newer one is rejected,
        and the N−1 reminder values."""
        subs = history.submissions(conn, campaign.identifiant)
        arrived = dict(zip(subs["sha256"], subs["recu_le"]))
        received = {f: dt.datetime.fromisoformat(arrived[h]) for f, h in checked.hashes.items() if h in arrived}
        sha_of = dict(zip(subs["id"], subs["sha256"]))
        in_folder = dict(zip(checked.fichiers["societe"], checked.fichiers["fichier"]))
        kept = {r.identifiant: (r.fichier, dt.datetime.fromisoformat(r.recu_le))
                for r in retenues.itertuples(index=False)
                if r.identifiant in in_folder and checked.hashes.get(in_folder[r.identifiant]) != sha_of[r.soumission]}
        values = None if previous is None else previous_values(campaign.nomenclature, previous.campaign.nomenclature,
                                                               previous.branch)
        moment = (now or dt.datetime.now()).replace(microsecond=0)
        return Round(moment.date(), moment, received, kept, values)

    def _consolidation(self, campaign: Campaign, checked: Checked, accepted: history.Accepted,
                       previous: Previous | None, revues: pd.DataFrame | None = None) -> Consolidation:
        conso = consolidate(campaign, accepted.chiffres, accepted.retenues, accepted.commentaires, checked.fichiers,
                            revues)
        release_memory()  # what the branch table freed, before the protection's own working memory
        if previous is None:
            return replace(conso, protection=_protected(conso.branch, campaign))
        constant, raw = evolutions(conso.branch, campaign.nomenclature, accepted.chiffres, previous.branch,
                                   previous.campaign.nomenclature, previous.figures, previous.campaign.identifiant,
                                   previous.campaign.date_arrete, {**previous.campaign.names, **campaign.names})
        conso = replace(conso, evolution=constant, evolution_raw=raw)
        return replace(conso, protection=self._linked(conso, previous))

    @staticmethod
    def _linked(conso: Consolidation, previous: Previous) -> Protection:
        """The protection of the edition and its evolution columns together with the previous edition, and the
        cells published in one campaign and masked in the other. Both use the raw comparison, the one the
        published edition shows: its N−1 figures are those of the previous published edition (every company
        consolidated then), not those of the companies consolidated both times."""
        before_nom, nom = previous.campaign.nomenclature, conso.campaign.nomenclature
        # The published edition shows the headcount and its breakdowns (not the ETP): the protection covers them
        # together; the evolution is published for the headcount only.
        before = _protected(previous.branch, previous.campaign)
        groups = groups_between(before_nom, nom)
        parts, _ = compositions(conso.table, nom, before_nom, groups)
        edition = PreviousEdition(previous.branch.headcount(), before_nom, before,
                                  dict(zip(zip(conso.table["niveau"], conso.table["code"]), parts)))
        protection = _protected(conso.branch, conso.campaign, edition)
        coherence = consistency(protection, before, conso.evolution_raw_rows, conso.table, groups,
                                previous.campaign.identifiant)
        return replace(protection, coherence=coherence, previous_masked=frozenset(before.masked))

    def status(self, campaign: Campaign, today: dt.date | None = None, now: dt.datetime | None = None) -> Dashboard:
        """Check the returns (``now``: when new files are seen to arrive), then where each company stands:
        suivi.xlsx and relances.txt."""
        run = self.check(campaign, now=now)
        conn = self._connect()
        try:
            subs = history.submissions(conn, campaign.identifiant)
            latest = history.latest_accepted(conn, campaign.identifiant)
            pending = held.last_held(conn, campaign.identifiant)  # as this check found them
        finally:
            conn.close()
        table = campaign_status(campaign, subs, latest, today, pending)
        out = campaign.outputs_dir(self.root)
        drafts_dir = out / MAILS_DIR / REMINDERS_DIR
        edited = (now or dt.datetime.now()).replace(microsecond=0)
        drafts = write_reminders(campaign, table, latest, drafts_dir, out / FEEDBACK_DIR,
                                 campaign.templates_dir(self.root), today or edited.date(), run.returned)
        text = reminder_text(campaign, table, drafts, drafts_dir.relative_to(self.root))
        suivi = write_status(campaign, table, subs, out / STATUS_REPORT, edited, text)
        reminders = out / REMINDERS
        reminders.write_text(text, encoding="utf-8")
        _private(suivi, *(drafts_dir / f"{c}{ext}" for c in drafts for ext in (".eml", ".txt")))  # declared totals
        return Dashboard(run, table, suivi, reminders, reminder_text(campaign, table), drafts_dir if drafts else None)
