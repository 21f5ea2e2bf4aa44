"""A campaign run, as the secretary's commands do it: the stages put together.

Entry point: :func:`run_campaign` — check the returns in ``inputs/<campaign>/``, record them in the
history, write the control report and the return-to-sender workbooks, and (``consolidate=True``)
consolidate the latest accepted submission of every company.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from . import history, status
from .campaign import Campaign, load_campaign
from .consolidate import Consolidation, branch_table, consolidate, write_consolidation, write_diffusion
from .evolution import Evolution, branch_evolution, comparable_groups, previous_values, yoy_messages
from .feedback import FEEDBACK_DIR, write_feedback
from .ingest import REJECTED, IngestResult, ingest, with_messages, write_control_report
from .secret import Protection, consistency, protect, rules_of
from .templates import write_templates

CONTROL_REPORT = "controle.xlsx"
CONSOLIDATION = "consolidation.xlsx"
DIFFUSION = "diffusion.xlsx"
STATUS_REPORT = "suivi.xlsx"
REMINDERS = "relances.txt"


@dataclass(frozen=True)
class Run:
    checked: IngestResult            # what the inputs folder holds now
    accepted: IngestResult           # the figures to consolidate: latest accepted submission per company
    recorded: history.Recorded
    control_report: Path
    returns: list[Path]              # return-to-sender workbooks
    consolidation: Consolidation | None = None
    consolidation_path: Path | None = None

    @property
    def companies_accepted(self) -> list[str]:
        return list(self.accepted.declarations["societe"])

    @property
    def complete(self) -> bool:
        """Every expected company has an accepted submission and no file in the folder is rejected."""
        expected = set(self.checked.campaign.societes["identifiant"])
        return expected <= set(self.companies_accepted) and not (self.checked.fichiers["statut"] == REJECTED).any()


def run_campaign(campaign: Campaign, root: str | Path = ".", db_path: str | Path | None = None,
                 consolidate_it: bool = False, progress=None) -> Run:
    root = Path(root)
    out = campaign.outputs_dir(root)
    checked = ingest(campaign, root, progress=progress)
    conn = history.connect(db_path or history.default_path(root))
    try:
        previous = previous_campaign(conn, campaign, root)
        if previous is not None:
            checked = with_messages(checked, yoy_messages(checked, previous.campaign, previous.figures))
        recorded = history.record(conn, checked, campaign.inputs_dir(root))
        report = write_control_report(checked, out / CONTROL_REPORT)
        returns = write_feedback(checked, out / FEEDBACK_DIR)
        accepted = history.accepted_result(conn, checked)
        conso = conso_path = None
        if consolidate_it and not accepted.declarations.empty:
            conso = consolidate(accepted)
            if previous is not None:
                conso = replace(conso, evolution=evolution_from(conso, previous))
            conso = replace(conso, protection=protection_of(conso, accepted, previous))
            conso_path = write_consolidation(conso, out / CONSOLIDATION)
            write_diffusion(conso, out / DIFFUSION)
            total = int(conso.table.loc[conso.table["niveau"] == "branche", "effectif"].iloc[0])
            history.record_consolidation(conn, campaign.identifiant, list(accepted.declarations["soumission"]), total)
    finally:
        conn.close()
    return Run(checked, accepted, recorded, report, returns, conso, conso_path)


@dataclass(frozen=True)
class Previous:
    campaign: Campaign
    table: pd.DataFrame      # its branch table, from the latest accepted submission of each company
    companies: set[str]
    figures: pd.DataFrame    # those submissions' figures (schemas.EFFECTIFS shape)
    matrix: pd.DataFrame     # its headcount per table row and company


def previous_campaign(conn, campaign: Campaign, root: Path) -> Previous | None:
    """The previous campaign's branch table, from the history; None when there is nothing to compare."""
    if not campaign.precedente:
        return None
    before = load_campaign(campaign.precedente, root)
    latest = history.latest_accepted(conn, before.identifiant)
    if latest.empty:
        return None
    figures = history.figures_of(conn, list(latest["id"])).drop(columns=["soumission", "commentaire"])
    table, _, matrix = branch_table(before, figures)
    return Previous(before, table, set(latest["company_id"]), figures, matrix)


def protection_of(conso: Consolidation, accepted: IngestResult, previous: Previous | None) -> Protection:
    """The published edition's masked cells; with a previous campaign, the cells masked in one year only."""
    protection = protect(conso.table, conso.par_societe, accepted.effectifs, conso.campaign.nomenclature,
                         rules_of(conso.campaign))
    if previous is None or conso.evolution is None:
        return protection
    before = protect(previous.table, previous.matrix, previous.figures, previous.campaign.nomenclature,
                     rules_of(previous.campaign))
    groups = comparable_groups(set(previous.table.loc[previous.table["niveau"] == "metier", "code"]),
                               set(conso.campaign.nomenclature.metiers["code_metier"]),
                               conso.campaign.nomenclature.correspondances)
    coherence = consistency(protection, before, conso.evolution.rows, conso.table, groups,
                            previous.campaign.identifiant)
    return replace(protection, coherence=coherence)


def evolution_from(conso: Consolidation, previous: Previous) -> Evolution:
    names = {**dict(zip(previous.campaign.societes["identifiant"], previous.campaign.societes["raison_sociale"])),
             **dict(zip(conso.campaign.societes["identifiant"], conso.campaign.societes["raison_sociale"]))}
    return branch_evolution(conso.table, conso.campaign.nomenclature, previous.table, previous.campaign.identifiant,
                            previous.campaign.date_arrete.strftime("%d/%m/%Y"), set(conso.retenues["identifiant"]),
                            previous.companies, names)


def write_campaign_templates(campaign: Campaign, root: str | Path = ".", db_path: str | Path | None = None,
                             progress=None) -> tuple[list[Path], str]:
    """The templates, with each company's N−1 reminder when the previous campaign is in the history.

    Returns the paths and a French note on the reminder column.
    """
    root = Path(root)
    if not campaign.precedente:
        return write_templates(campaign, root, progress=progress), ""
    conn = history.connect(db_path or history.default_path(root))
    try:
        before = load_campaign(campaign.precedente, root)
        latest = history.latest_accepted(conn, before.identifiant)
        figures = history.figures_of(conn, list(latest["id"]))
    finally:
        conn.close()
    if latest.empty:
        note = (f"Aucun chiffre accepté de la campagne {before.identifiant} dans l'historique : "
                "pas de colonne de rappel N−1.")
        return write_templates(campaign, root, progress=progress), note
    previous = previous_values(campaign, before, figures.drop(columns=["soumission", "commentaire"]))
    missing = sorted(set(campaign.societes["identifiant"]) - set(previous))
    note = f"Colonne de rappel N−1 : chiffres acceptés de la campagne {before.identifiant}" + (
        f" (aucun pour : {', '.join(missing)})." if missing else ".")
    return write_templates(campaign, root, previous, progress), note


@dataclass(frozen=True)
class Dashboard:
    run: Run
    status: pd.DataFrame
    suivi_path: Path
    reminders_path: Path
    reminders: str


def campaign_dashboard(campaign: Campaign, root: str | Path = ".", db_path: str | Path | None = None,
                       today: dt.date | None = None) -> Dashboard:
    """Check the returns, then where each company stands: suivi.xlsx and relances.txt."""
    root = Path(root)
    run = run_campaign(campaign, root, db_path)
    pending: dict[str, list[str]] = {}
    for f in run.checked.fichiers.itertuples(index=False):
        if f.fichier in run.checked.en_attente:
            pending.setdefault(f.societe, []).append(f.fichier)
    conn = history.connect(db_path or history.default_path(root))
    try:
        table = status.campaign_status(campaign, conn, today, pending)
        subs = history.submissions(conn, campaign.identifiant)
    finally:
        conn.close()
    out = campaign.outputs_dir(root)
    suivi = status.write_status(campaign, table, subs, out / STATUS_REPORT)
    text = status.reminder_text(campaign, table)
    reminders = out / REMINDERS
    reminders.write_text(text, encoding="utf-8")
    return Dashboard(run, table, suivi, reminders, text)
