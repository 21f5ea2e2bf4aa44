"""The ``effectifs`` command: a thin click layer over the library (:class:`pipeline.api.Project`).

Exit codes: 0 all went well (every expected company accepted); 1 some files were rejected or
some companies have not returned anything; 2 the command line is wrong; 3 a configuration
problem (campaign or nomenclature file, missing folder, nothing to consolidate); 4 an
unexpected internal error. Everything printed comes from :mod:`pipeline.core.texts.console`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import os
import sys
import traceback
from pathlib import Path

import click

from . import __version__
from .api import Project, Run
from .core.errors import UserError
from .core.form import KEY_TOTAL
from .core.texts import console as C
from .core.texts import fr
from .core.texts.messages import rendered
from .core.vocab import Level, Status

EXIT_OK, EXIT_INCOMPLETE, EXIT_USAGE, EXIT_CONFIG, EXIT_INTERNAL = 0, 1, 2, 3, 4
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
PROGRESS_MIN = 50  # progress bars from this many files, on a terminal only


def _say(text: str = "") -> None:
    click.echo(text)


def _err(text: str) -> None:
    click.echo(text, err=True)


def _guard(func):
    """Turn user errors into a French message on stderr and an exit code, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        ctx = click.get_current_context()
        try:
            return func(*args, **kwargs)
        except UserError as err:
            _err(fr(C.ERROR, message=str(err)))
            ctx.exit(EXIT_CONFIG)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BrokenPipeError:  # output piped into a pager or `head` that closed early
            sys.stderr.close()
            ctx.exit(EXIT_OK)
        except Exception as err:  # noqa: BLE001 — last line of defence
            _err(fr(C.INTERNAL, type=type(err).__name__, message=str(err)))
            _err(traceback.format_exc() if ctx.obj.get("debug") else C.INTERNAL_HELP)
            ctx.exit(EXIT_INTERNAL)

    return wrapper


class FrenchCommand(click.Command):
    """click's help in French (its own words are English and have no translation shipped)."""

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = C.HELP_OPTION
        return option

    def format_usage(self, ctx, formatter):
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix=C.USAGE)

    def format_options(self, ctx, formatter):
        opts = [rv for p in self.get_params(ctx) if (rv := p.get_help_record(ctx)) is not None]
        if opts:
            with formatter.section(C.OPTIONS):
                formatter.write_dl(opts)


class FrenchGroup(FrenchCommand, click.Group):
    command_class = FrenchCommand

    def format_options(self, ctx, formatter):
        FrenchCommand.format_options(self, ctx, formatter)
        commands = [(name, cmd) for name in self.list_commands(ctx) if (cmd := self.get_command(ctx, name))]
        if commands:
            with formatter.section(C.COMMANDS):
                formatter.write_dl([(name, cmd.get_short_help_str(90)) for name, cmd in commands])


campaign_option = click.option("-c", "--campagne", "campaign_ref", show_default=False, help=C.HELP["campagne"],
                               default=lambda: os.environ.get("EFFECTIFS_CAMPAGNE", "2007"))
json_option = click.option("--json", "as_json", is_flag=True, help=C.HELP["json"])


def _project() -> Project:
    return click.get_current_context().obj["project"]


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
              help=C.HELP["racine"])
@click.option("--base", type=click.Path(dir_okay=False, path_type=Path), default=None, envvar="EFFECTIFS_BASE",
              help=C.HELP["base"])
@click.option("--debug", is_flag=True, help=C.HELP["debug"])
@click.version_option(__version__, "--version", message="effectifs %(version)s", help=C.HELP["version"])
@click.pass_context
def main(ctx: click.Context, racine: Path | None, base: Path | None, debug: bool) -> None:
    ctx.ensure_object(dict)
    ctx.obj["project"] = Project(racine or Path.cwd(), base)
    ctx.obj["debug"] = debug


@main.command(short_help=C.HELP["nomenclature.short"], help=C.HELP["nomenclature"])
@campaign_option
@click.option("--export", "export_path", type=click.Path(dir_okay=False, path_type=Path), help=C.HELP["export"])
@click.option("--dossier", type=click.Path(file_okay=False, path_type=Path), help=C.HELP["dossier"])
@_guard
def nomenclature(campaign_ref: str, export_path: Path | None, dossier: Path | None) -> None:
    project = _project()
    nom = project.nomenclature(dossier) if dossier else project.campaign(campaign_ref).nomenclature
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


@main.command("nouvelle-campagne", short_help=C.HELP["nouvelle-campagne.short"], help=C.HELP["nouvelle-campagne"])
@click.argument("identifiant")
@click.option("--depuis", default="2007", help=C.HELP["depuis"])
@click.option("--date-arrete", type=click.DateTime(["%Y-%m-%d"]), help=C.HELP["date-arrete"])
@click.option("--date-limite", type=click.DateTime(["%Y-%m-%d"]), help=C.HELP["date-limite"])
@click.option("--libelle", help=C.HELP["libelle"])
@_guard
def nouvelle_campagne(identifiant: str, depuis: str, date_arrete, date_limite, libelle) -> None:
    path = _project().new_campaign(identifiant, depuis, date_arrete.date() if date_arrete else None,
                                   date_limite.date() if date_limite else None, libelle)
    _say(fr(C.CAMPAIGN_CREATED, chemin=path))
    _say(fr(C.CAMPAIGN_NEXT, id=identifiant))


@main.command(short_help=C.HELP["modeles.short"], help=C.HELP["modeles"])
@campaign_option
@_guard
def modeles(campaign_ref: str) -> None:
    project = _project()
    campaign = project.campaign(campaign_ref)
    with _progress(len(campaign.societes), C.PROGRESS_WRITING) as update:
        done = project.write_templates(campaign, update)
    _say(fr(C.TEMPLATES_WRITTEN, n=len(done.paths), dossier=campaign.templates_dir(project.root)))
    for p in done.paths:
        _say(f"  {p.name}")
    if done.note:
        _say(done.note)
    _say(fr(C.TEMPLATES_NEXT, dossier=campaign.inputs_dir(project.root)))


def _run(campaign_ref: str, consolidate_it: bool) -> Run:
    project = _project()
    campaign = project.campaign(campaign_ref)
    folder = campaign.inputs_dir(project.root)
    count = len(list(folder.iterdir())) if folder.is_dir() else 0
    with _progress(count, C.PROGRESS_READING) as update:
        return (project.consolidate if consolidate_it else project.check)(campaign, update)


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
    checked = run.checked
    messages = rendered(checked.messages).drop(columns=["params"])
    return {
        "campagne": checked.campaign.identifiant,
        "societes_attendues": len(checked.campaign.societes),
        "societes_acceptees": run.companies_accepted,
        "societes_sans_retour": list(checked.manquantes["identifiant"]),
        "fichiers": checked.fichiers.to_dict(orient="records"),
        "messages": messages.to_dict(orient="records"),
        "historique": {"nouvelles_soumissions": run.recorded.new, "inchanges": run.recorded.unchanged,
                       "en_attente": run.recorded.pending},
        "sorties": {k: str(v) for k, v in _outputs(run).items()},
    }


def _finish(run: Run, as_json: bool) -> None:
    from .write.console import check_lines

    if as_json:
        _say(json.dumps(_summary(run), ensure_ascii=False, indent=2, default=str))
    else:
        for line in check_lines(run.checked):
            _say(line)
        _say(fr(C.HISTORY, nouvelles=len(run.recorded.new), connues=len(run.recorded.unchanged),
                retenues=len(run.companies_accepted), attendues=len(run.checked.campaign.societes)))
        for label, path in _outputs(run).items():
            _say(fr(C.OUTPUT_LINE, libelle=label, chemin=path))
    if run.accepted.retenues.empty:
        _err(C.NOTHING_ACCEPTED)
    if not run.complete:
        click.get_current_context().exit(EXIT_INCOMPLETE)


@main.command(short_help=C.HELP["controler.short"], help=C.HELP["controler"])
@campaign_option
@json_option
@_guard
def controler(campaign_ref: str, as_json: bool) -> None:
    _finish(_run(campaign_ref, consolidate_it=False), as_json)


@main.command(short_help=C.HELP["consolider.short"], help=C.HELP["consolider"])
@campaign_option
@json_option
@_guard
def consolider(campaign_ref: str, as_json: bool) -> None:
    _finish(_run(campaign_ref, consolidate_it=True), as_json)


@main.command(short_help=C.HELP["status.short"], help=C.HELP["status"])
@campaign_option
@json_option
@click.option("--au", "today", type=click.DateTime(["%Y-%m-%d"]), default=None, help=C.HELP["au"])
@_guard
def status(campaign_ref: str, as_json: bool, today) -> None:
    from .compute.status import counts, to_chase
    from .write.console import status_lines

    project = _project()
    campaign = project.campaign(campaign_ref)
    board = project.status(campaign, today.date() if today else None)
    if as_json:
        _say(json.dumps({"campagne": campaign.identifiant, "compteurs": counts(board.status),
                         "societes": board.status.to_dict(orient="records"),
                         "relances": list(to_chase(board.status)["identifiant"]),
                         "sorties": {"suivi": str(board.suivi_path), "relances": str(board.reminders_path)}},
                        ensure_ascii=False, indent=2))
    else:
        for line in status_lines(campaign, board.status):
            _say(line)
        _say()
        _say(board.reminders.rstrip())
        _say()
        _say(fr(C.STATUS_TABLE, chemin=board.suivi_path))
        _say(fr(C.STATUS_REMINDERS, chemin=board.reminders_path))
    if not to_chase(board.status).empty:
        click.get_current_context().exit(EXIT_INCOMPLETE)


@main.command(short_help=C.HELP["suggest.short"], help=C.HELP["suggest"])
@click.argument("export", required=False, type=click.Path(dir_okay=False, path_type=Path))
@campaign_option
@click.option("--societe", help=C.HELP["societe"])
@click.option("--colonne-intitule", help=C.HELP["colonne-intitule"])
@click.option("--colonne-effectif", help=C.HELP["colonne-effectif"])
@click.option("--sortie", type=click.Path(dir_okay=False, path_type=Path), help=C.HELP["sortie-revue"])
@click.option("--evaluer", is_flag=True, help=C.HELP["evaluer"])
@_guard
def suggest(export, campaign_ref, societe, colonne_intitule, colonne_effectif, sortie, evaluer) -> None:
    project = _project()
    campaign = project.campaign(campaign_ref)
    if evaluer:
        r = project.evaluate_matching(campaign)
        _say(fr(C.EVALUATION_SET, titres=r["titres"], ecartes=len(r["ecartes_ambigus"])))
        _say(fr(C.EVALUATION_FLAGGED, signales=r["signales"], taux=r["taux_signales"]))
        _say(fr(C.EVALUATION_CONFIDENT, top1=r["top1"], top3=r["top3"], erreurs=r["erreurs_confiantes"]))
        for source, g in r["detail"].groupby("source"):
            ok = g[g["confiant"]]
            _say(fr(C.EVALUATION_SOURCE, source=source, n=len(g), signales=(~g["confiant"]).mean(),
                    top1=ok["top1"].mean() if len(ok) else 0))
        return
    if export is None or not societe:
        raise UserError(C.SUGGEST_NEEDS)
    if societe not in campaign.company_ids:
        raise UserError(fr(C.SUGGEST_UNKNOWN, societe=societe, campagne=campaign.identifiant))
    done = project.suggest(campaign, export, societe, colonne_intitule, colonne_effectif, sortie)
    flagged = int((done.proposals["a_verifier"] != "").sum())
    _say(fr(C.SUGGEST_DONE, n=len(done.proposals), personnes=int(done.proposals["effectif"].sum()),
            confiants=len(done.proposals) - flagged, a_decider=flagged))
    _say(fr(C.SUGGEST_PATH, chemin=done.path))
    _say(fr(C.SUGGEST_NEXT, chemin=done.path))


@main.command(short_help=C.HELP["remplir.short"], help=C.HELP["remplir"])
@click.argument("revue", type=click.Path(dir_okay=False, path_type=Path))
@campaign_option
@click.option("--sortie", type=click.Path(dir_okay=False, path_type=Path), help=C.HELP["sortie-modele"])
@_guard
def remplir(revue, campaign_ref, sortie) -> None:
    project = _project()
    done = project.fill(project.campaign(campaign_ref), revue, sortie)
    statut = done.checked.fichiers["statut"].iloc[0]
    _say(fr(C.FILLED, chemin=done.path, personnes=done.values[KEY_TOTAL], statut=statut))
    for m in rendered(done.checked.messages).itertuples(index=False):
        _say(fr(C.FILLED_MESSAGE, gravite=m.gravite, feuille=m.feuille, cellule=m.cellule, message=m.message))
    if statut == Status.REJECTED:
        click.get_current_context().exit(EXIT_INCOMPLETE)


@main.command(short_help=C.HELP["demo.short"], help=C.HELP["demo"])
@_guard
def demo() -> None:
    from .demo import run_demo

    started = dt.datetime.now()
    project = _project()
    r = run_demo(project.root, project.db)
    run, conso = r.run, r.run.consolidation
    table = conso.table.set_index("niveau")
    _say(fr(C.DEMO_HEAD, campagne=run.checked.campaign.identifiant))
    _say(fr(C.DEMO_TEMPLATES, n=len(r.templates), dossier=r.templates[0].parent))
    _say(fr(C.DEMO_RETURNS, n=len(r.returns), dossier=r.returns[0].parent))
    _say(fr(C.DEMO_CHECK, acceptees=len(run.checked.acceptees), attendues=len(run.checked.campaign.societes),
            chemin=run.control_report))
    _say(fr(C.DEMO_CONSOLIDATION, branche=int(table.loc[Level.BRANCHE, "effectif"]),
            nv=int(table.loc[Level.NON_VENTILES, "effectif"]), chemin=run.consolidation_path))
    _say(fr(C.DEMO_DIFFUSION, masquees=len(conso.protection.masked), chemin=run.diffusion_path))
    _say(fr(C.DEMO_TIME, secondes=f"{(dt.datetime.now() - started).total_seconds():.1f}".replace(".", ",")))
    if not run.complete:
        click.get_current_context().exit(EXIT_INCOMPLETE)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
