"""The ``effectifs`` command: a thin click layer over the library (:class:`pipeline.api.Project`).

Exit codes: 0 all went well (every expected company accepted); 1 some files were rejected or
some companies have not returned anything; 2 the command line is wrong; 3 a configuration
problem (campaign or nomenclature file, missing folder, nothing to consolidate); 4 an
unexpected internal error. Everything printed comes from :mod:`pipeline.core.texts.console`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import titles, web
from .common import EXIT_CONFIG, EXIT_INCOMPLETE, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE  # noqa: F401 — re-exported
from .common import PROCESS, _err, _guard, _project, _say, campaign_option, json_option
from .. import __version__
from ..core.errors import UserError
from ..core.texts import console as C
from ..core.texts import fr
from ..core.vocab import Level
from .french import FrenchDate, FrenchGroup

if TYPE_CHECKING:  # pandas, pandera, openpyxl, xlsxwriter, scipy… are loaded by the commands that need them
    from ..api import Run

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
PROGRESS_MIN = 50  # progress bars from this many files, on a terminal only


@contextlib.contextmanager
def _progress(count: int, label: str):
    """A progress bar's update function on a terminal with many files; None (quiet) otherwise."""
    if count < PROGRESS_MIN or not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=count, label=label, file=sys.stderr) as bar:
        yield bar.update


@click.group(cls=FrenchGroup, context_settings=CONTEXT, subcommand_metavar="COMMANDE [ARGUMENTS]...",
             help=C.HELP_MAIN)
@click.option("--racine", type=click.Path(file_okay=False, path_type=Path), default=None, envvar="EFFECTIFS_RACINE",
              metavar=C.METAVAR_FOLDER,
              help=C.HELP["racine"])
@click.option("--base", type=click.Path(dir_okay=False, path_type=Path), default=None, envvar="EFFECTIFS_BASE",
              metavar=C.METAVAR_FILE,
              help=C.HELP["base"])
@click.option("--debug", is_flag=True, help=C.HELP["debug"])
@click.version_option(__version__, "--version", message="effectifs %(version)s", help=C.HELP["version"])
@click.pass_context
def main(ctx: click.Context, racine: Path | None, base: Path | None, debug: bool) -> None:
    """The command group (its help is C.HELP_MAIN)."""
    ctx.ensure_object(dict)
    ctx.obj["where"] = (racine or Path.cwd(), base)  # the Project is made when a command needs it
    ctx.obj["debug"] = debug


@main.command(short_help=C.HELP["nomenclature.short"], help=C.HELP["nomenclature"])
@campaign_option
@click.option("--export", "export_path", type=click.Path(dir_okay=False, path_type=Path), help=C.HELP["export"],
              metavar=C.METAVAR_FILE)
@click.option("--dossier", type=click.Path(file_okay=False, path_type=Path), help=C.HELP["dossier"],
              metavar=C.METAVAR_FOLDER)
@click.option("--copier", "copy_to", type=click.Path(file_okay=False, path_type=Path), help=C.HELP["copier"],
              metavar=C.METAVAR_FOLDER)
@_guard
def nomenclature(campaign_ref: str, export_path: Path | None, dossier: Path | None, copy_to: Path | None) -> None:
    from ..core.correspondences import following
    from ..core.nomenclature import relative_folder
    from ..core.texts.guide import change_items
    from ..write.guide import changes

    project, changed = _project(), []
    if dossier:
        nom = project.nomenclature(dossier)
    elif campaign_ref:
        campaign = project.campaign(campaign_ref)
        if not copy_to:  # checked against the previous campaign's nomenclature, as the commands that compare do
            campaign = following(campaign, project.root)
            changed = change_items(campaign.precedente, changes(campaign))  # what the templates' guide will say
        nom = campaign.nomenclature
    else:
        nom = project.current_nomenclature()
    if copy_to:
        folder = project.copy_nomenclature(copy_to, nom)
        _say(fr(C.NOMENCLATURE_COPIED, dossier=folder))
        _say(fr(C.NOMENCLATURE_USE, chemin=relative_folder(folder, project.campaigns_dir)))
        return
    if export_path:
        suffix = export_path.suffix.lower()
        if suffix not in (".csv", ".xlsx"):
            raise UserError(C.NOMENCLATURE_EXPORT_FORMAT)
        table = nom.as_table()
        if suffix == ".csv":
            table.to_csv(export_path, sep=";", index=False, encoding="utf-8-sig")
        else:
            table.to_excel(export_path, index=False, sheet_name="Nomenclature", engine="xlsxwriter",
                           engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_urls": False}})
        _say(fr(C.NOMENCLATURE_EXPORTED, chemin=export_path))
        return
    _say(fr(C.NOMENCLATURE_SOURCE, source=nom.source))
    _say(fr(C.NOMENCLATURE_SIZE, empreinte=nom.empreinte, familles=len(nom.familles), metiers=len(nom.metiers),
            lignes=len(nom.lignes)))
    for numero, groupe in nom.groupes:
        _say(f"\n{numero} - {groupe}")
        for fam in nom.familles_du_groupe(groupe).itertuples(index=False):
            _say(f"  {fam.code_famille} - {fam.intitule_famille}")
            for m in nom.metiers_de(fam.code_famille).itertuples(index=False):
                _say(f"    {m.code_metier}  {m.intitule_metier}")
                if len(m.emplois) > 1:
                    for i, e in enumerate(m.emplois, start=1):
                        _say(f"      {m.code_metier}-{i}  {e}")
    for kind, text in changed:  # its heading and its items (their introduction is for HR)
        if kind != "para":
            _say(fr(C.NOMENCLATURE_CHANGES, titre=text) if kind == "section" else f"  - {text}")


@main.command("nouvelle-campagne", short_help=C.HELP["nouvelle-campagne.short"], help=C.HELP["nouvelle-campagne"])
@click.argument("identifiant", metavar=C.METAVAR_ID)
@click.option("--depuis", default=None, help=C.HELP["depuis"], metavar=C.METAVAR_CAMPAIGN)
@click.option("--date-arrete", type=FrenchDate(), help=C.HELP["date-arrete"])
@click.option("--date-limite", type=FrenchDate(), help=C.HELP["date-limite"])
@click.option("--libelle", help=C.HELP["libelle"], metavar=C.METAVAR_TEXT)
@_guard
def nouvelle_campagne(identifiant: str, depuis: str, date_arrete, date_limite, libelle) -> None:
    from ..core.campaign import readiness_problems

    path = _project().new_campaign(identifiant, depuis, date_arrete, date_limite, libelle)
    _say(fr(C.CAMPAIGN_CREATED, chemin=path))
    campaign = _project().campaign(path)
    n = len(campaign.societes)
    since = fr(C.CAMPAIGN_CREATED_FROM, precedente=campaign.precedente, n=n) if campaign.precedente else ""
    _say(fr(C.CAMPAIGN_CREATED_WHAT, id=campaign.identifiant, date_arrete=campaign.date_arrete,
            date_limite=campaign.date_limite, societes=n, depuis=since))
    problems = readiness_problems(campaign)
    if problems:
        _say(C.CAMPAIGN_TO_COMPLETE)
        for problem in problems:
            _say(f"  - {problem}")
    _say(fr(C.CAMPAIGN_NEXT, id=identifiant))


@main.command(short_help=C.HELP["modeles.short"], help=C.HELP["modeles"])
@campaign_option
@click.option("--forcer", is_flag=True, help=C.HELP["forcer"])
@_guard
def modeles(campaign_ref: str, forcer: bool) -> None:
    project = _project()
    campaign = project.campaign(campaign_ref)
    from ..write.console import template_lines

    with _progress(len(campaign.societes), C.PROGRESS_WRITING) as update:
        done = project.write_templates(campaign, update, force=forcer)
    for line in template_lines(campaign, project.root, done.written, done.retired, done.note, done.drafts):
        _say(line)


received_option = click.option("--recu-le", "received", type=FrenchDate(time=True), default=None,
                               help=C.HELP["recu-le"])


def _run(campaign_ref: str, consolidate_it: bool, received: dt.datetime | None) -> Run:
    project = _project()
    campaign = project.campaign(campaign_ref)
    folder = campaign.inputs_dir(project.root)
    count = len(list(folder.iterdir())) if folder.is_dir() else 0
    with _progress(count, C.PROGRESS_READING) as update:
        return (project.consolidate if consolidate_it else project.check)(campaign, update, _moment(received))


def _moment(value: dt.date | dt.datetime | None) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value, dt.time(12))


def _outputs(run: Run) -> dict[str, Path]:
    outputs = {C.OUT_CONTROL: run.control_report}
    if run.returns:
        outputs[fr(C.OUT_RETURNS, n=len(run.returns))] = run.returns[0].parent
    if run.consolidation_path:
        outputs[C.OUT_CONSOLIDATION] = run.consolidation_path
        outputs[C.OUT_DIFFUSION] = run.diffusion_path
        outputs[C.OUT_OPENDATA] = run.opendata_path
    return outputs


def _summary(run: Run) -> dict:
    from ..core.texts.messages import rendered

    checked = run.checked
    missing, kept = checked.absent(run.accepted.retenues)
    messages = rendered(checked.messages).drop(columns=["params"])
    return {
        "campagne": checked.campaign.identifiant,
        "societes_attendues": len(checked.campaign.societes),
        "societes_acceptees": run.companies_accepted,
        "societes_sans_retour": list(missing["identifiant"]),
        "societes_retenues_hors_dossier": list(kept["identifiant"]),
        "fichiers": checked.fichiers.to_dict(orient="records"),
        "a_regler": run.tasks.to_dict(orient="records"),
        "messages": messages.to_dict(orient="records"),
        "historique": {"nouvelles_soumissions": run.recorded.new, "inchanges": run.recorded.unchanged,
                       "en_attente": run.recorded.pending},
        "sorties": {k: str(v) for k, v in _outputs(run).items()},
    }


def _finish(run: Run, as_json: bool) -> None:
    from ..write.console import check_lines, consolidation_lines, tasks_lines

    if as_json:
        _say(json.dumps(_summary(run), ensure_ascii=False, indent=2, default=str))
    else:
        retenues = run.accepted.retenues
        for line in check_lines(run.checked, retenues) + tasks_lines(run.checked, run.tasks, retenues):
            _say(line)
        pending = fr(C.HISTORY_PENDING, n=len(run.recorded.pending)) if run.recorded.pending else ""
        _say(fr(C.HISTORY, nouvelles=len(run.recorded.new), connues=len(run.recorded.unchanged), attente=pending,
                retenues=len(run.companies_accepted), attendues=len(run.checked.campaign.societes)))
        for line in consolidation_lines(run.consolidation) if run.consolidation is not None else []:
            _say(line)
        for label, path in _outputs(run).items():
            _say(fr(C.OUTPUT_LINE, libelle=label, chemin=path))
    if run.checked.fichiers.empty and run.accepted.retenues.empty:
        _err(fr(C.NOTHING_RECEIVED, dossier=run.checked.campaign.inputs_dir(_project().root)))
    elif run.accepted.retenues.empty:
        _err(C.NOTHING_ACCEPTED)
    if run.busy:
        _err(fr(C.ERROR, message=fr(C.OUTPUT_BUSY, n=len(run.busy), fichiers=", ".join(map(str, run.busy)))))
        _err("  - " + fr(C.OUTPUT_BUSY_HELP, n=len(run.busy)))
        click.get_current_context().exit(EXIT_CONFIG)
    if not run.complete:
        click.get_current_context().exit(EXIT_INCOMPLETE)


@main.command(short_help=C.HELP["controler.short"], help=C.HELP["controler"])
@campaign_option
@json_option
@received_option
@_guard
def controler(campaign_ref: str, as_json: bool, received) -> None:
    _finish(_run(campaign_ref, False, received), as_json)


@main.command(short_help=C.HELP["consolider.short"], help=C.HELP["consolider"])
@campaign_option
@json_option
@received_option
@_guard
def consolider(campaign_ref: str, as_json: bool, received) -> None:
    _finish(_run(campaign_ref, True, received), as_json)


@main.command("suivi", short_help=C.HELP["status.short"], help=C.HELP["status"])
@campaign_option
@json_option
@click.option("--au", "today", type=FrenchDate(), default=None, help=C.HELP["au"])
@received_option
@_guard
def status(campaign_ref: str, as_json: bool, today, received) -> None:
    from ..compute.status import counts, incomplete, to_chase
    from ..write.console import status_lines

    project = _project()
    campaign = project.campaign(campaign_ref)
    board = project.status(campaign, today, _moment(received))
    if as_json:
        _say(json.dumps({"campagne": campaign.identifiant, "compteurs": counts(board.status),
                         "societes": board.status.to_dict(orient="records"),
                         "relances": list(to_chase(board.status)["identifiant"]),
                         "sorties": {"suivi": str(board.suivi_path), "relances": str(board.reminders_path),
                                     "courriels": str(board.drafts) if board.drafts else None}},
                        ensure_ascii=False, indent=2))
    else:
        for line in status_lines(campaign, board.status):
            _say(line)
        _say()
        _say(board.reminders.rstrip())
        _say()
        _say(fr(C.STATUS_TABLE, chemin=board.suivi_path))
        _say(fr(C.STATUS_REMINDERS, chemin=board.reminders_path))
        if board.drafts:
            _say(fr(C.STATUS_DRAFTS, chemin=board.drafts))
    if incomplete(board.status):
        click.get_current_context().exit(EXIT_INCOMPLETE)


@main.command(short_help=C.HELP["demo.short"], help=C.HELP["demo"])
@_guard
def demo() -> None:
    from ..demo import run_demo
    from ..write.console import masked_counts

    started = dt.datetime.now()
    project = _project()
    r = run_demo(project.root)
    run, conso = r.run, r.run.consolidation
    table = conso.table.set_index("niveau")
    _say(fr(C.DEMO_HEAD, campagne=run.checked.campaign.identifiant))
    _say(fr(C.DEMO_TEMPLATES, n=len(r.templates), dossier=r.templates[0].parent))
    _say(fr(C.DEMO_RETURNS, n=len(r.returns), dossier=r.returns[0].parent))
    _say(fr(C.DEMO_CHECK, acceptees=len(run.checked.acceptees), attendues=len(run.checked.campaign.societes),
            chemin=run.control_report))
    _say(fr(C.DEMO_CONSOLIDATION, branche=int(table.loc[Level.BRANCHE, "effectif"]),
            nv=int(table.loc[Level.NON_VENTILES, "effectif"]), chemin=run.consolidation_path))
    _say(fr(C.DEMO_DIFFUSION, **masked_counts(conso), chemin=run.diffusion_path))
    if r.breakdowns is not None:
        later = r.breakdowns
        _say(fr(C.DEMO_BREAKDOWNS, campagne=later.checked.campaign.identifiant,
                acceptees=len(later.checked.acceptees), chemin=later.consolidation_path))
        _say(fr(C.DEMO_BREAKDOWNS_DIFFUSION, **masked_counts(later.consolidation), chemin=later.diffusion_path))
    _say(fr(C.DEMO_TIME, secondes=f"{(dt.datetime.now() - started).total_seconds():.1f}".replace(".", ",")))
    if not run.complete:
        click.get_current_context().exit(EXIT_INCOMPLETE)


# English names and earlier names still work; accents and case never matter (« contrôler », « Modèles »).
main.aliases = {"status": "suivi", "suggest": "rapprocher", "check": "controler", "consolidate": "consolider",
                "templates": "modeles", "new-campaign": "nouvelle-campagne", "fill": "remplir",
                "lexicon": "lexique", "demonstration": "demo"}
for _command in (titles.rapprocher, titles.remplir, titles.lexique):
    main.add_command(_command)

# The web front (pipeline/cli/web.py; the web modules load inside `serve` only).
for _command in (web.serve, web.password, web.links):
    main.add_command(_command)
main.aliases["servir"] = "serve"


def entry() -> None:
    """The installed ``effectifs`` command (and ``python -m pipeline.cli``): one command, one process. The
    library's objects are then left out of garbage collections once loaded (:func:`pipeline.core.parallel.settle`),
    and everything at the exit: the interpreter's exit no longer visits them all (0.4 s → 0.1 s after a
    consolidation of 1,000 companies; nothing is left to write by then)."""
    PROCESS["own"] = True
    try:
        main()
    finally:
        gc.freeze()
