"""The ``effectifs`` command: a thin click layer over the Python API (messages in French).

Exit codes: 0 all went well (every expected company accepted); 1 some files were rejected or
some companies have not returned anything; 2 the command line is wrong; 3 a configuration
problem (campaign or nomenclature file, missing folder, nothing to consolidate); 4 an
unexpected internal error.
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
from .campaign import Campaign, load_campaign, new_campaign_file
from . import history
from .errors import UserError
from .templates import KEY_TOTAL
from .ingest import summary_lines
from .nomenclature import load_nomenclature
from .run import Run, campaign_dashboard, run_campaign, write_campaign_templates
from .status import console_lines, counts as status_counts, to_chase

EXIT_OK, EXIT_INCOMPLETE, EXIT_USAGE, EXIT_CONFIG, EXIT_INTERNAL = 0, 1, 2, 3, 4
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
HELP_TEXT = "Afficher cette aide et quitter."


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
            _err(f"Erreur : {err}")
            ctx.exit(EXIT_CONFIG)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BrokenPipeError:  # output piped into a pager or `head` that closed early
            sys.stderr.close()
            ctx.exit(EXIT_OK)
        except Exception as err:  # noqa: BLE001 — last line of defence
            _err(f"Erreur interne inattendue ({type(err).__name__} : {err}).")
            if ctx.obj.get("debug"):
                _err(traceback.format_exc())
            else:
                _err("Relancez avec « effectifs --debug … » et transmettez le message complet à l'équipe technique.")
            ctx.exit(EXIT_INTERNAL)

    return wrapper


campaign_option = click.option(
    "-c", "--campagne", "campaign_ref", default=lambda: os.environ.get("EFFECTIFS_CAMPAGNE", "2007"),
    show_default=False,
    help="Identifiant de la campagne (fichier campagnes/ID.toml) ou chemin d'un fichier .toml "
         "(par défaut : $EFFECTIFS_CAMPAGNE, sinon 2007).",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Écrire un résumé JSON sur la sortie standard.")


class FrenchCommand(click.Command):
    """click's help in French (its own words are English and have no translation shipped)."""

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option

    def format_usage(self, ctx, formatter):
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix="Utilisation : ")

    def format_options(self, ctx, formatter):
        opts = [rv for p in self.get_params(ctx) if (rv := p.get_help_record(ctx)) is not None]
        if opts:
            with formatter.section("Options"):
                formatter.write_dl(opts)


class FrenchGroup(FrenchCommand, click.Group):
    command_class = FrenchCommand

    def format_options(self, ctx, formatter):
        FrenchCommand.format_options(self, ctx, formatter)
        commands = [(name, cmd) for name in self.list_commands(ctx) if (cmd := self.get_command(ctx, name))]
        if commands:
            with formatter.section("Commandes"):
                formatter.write_dl([(name, cmd.get_short_help_str(90)) for name, cmd in commands])


def _number(n: int) -> str:
    return f"{n:,}".replace(",", "\u202f")


def _pct(share: float) -> str:
    return f"{share:.1%}".replace(".", ",").replace("%", "\u202f%")


def _root() -> Path:
    return click.get_current_context().obj["root"]


def _campaign(ref: str) -> Campaign:
    return load_campaign(ref, _root())


@click.group(cls=FrenchGroup, context_settings=CONTEXT, subcommand_metavar="COMMANDE [ARGUMENTS]...")
@click.option("--racine", type=click.Path(file_okay=False, path_type=Path), default=None,
              envvar="EFFECTIFS_RACINE",
              help="Dossier contenant templates_xlsx/, inputs/ et outputs/ "
                   "(par défaut : $EFFECTIFS_RACINE, sinon le dossier courant).")
@click.option("--base", type=click.Path(dir_okay=False, path_type=Path), default=None, envvar="EFFECTIFS_BASE",
              help="Base d'historique SQLite (par défaut : $EFFECTIFS_BASE, sinon outputs/historique.sqlite).")
@click.option("--debug", is_flag=True, help="Afficher le détail technique des erreurs internes.")
@click.version_option(__version__, "--version", message="effectifs %(version)s", help="Afficher la version et quitter.")
@click.pass_context
def main(ctx: click.Context, racine: Path | None, base: Path | None, debug: bool) -> None:
    """Campagnes d'actualisation des effectifs par métier de la branche Assistance.

    \b
    Déroulement d'une campagne :
      1. effectifs nouvelle-campagne 2026     crée campagnes/2026.toml à compléter
      2. effectifs modeles -c 2026            un classeur à remplir par société
      3. déposez les retours dans inputs/2026/
      4. effectifs controler -c 2026          contrôle des retours (outputs/2026/controle.xlsx)
      5. effectifs consolider -c 2026         tableau de la branche (outputs/2026/consolidation.xlsx)

    « effectifs demo » déroule la campagne 2007 de démonstration de bout en bout.

    \b
    Codes de sortie : 0 tout est accepté ; 1 fichiers rejetés ou sociétés sans retour ;
    2 commande mal tapée ; 3 problème de configuration ; 4 erreur interne.
    """
    ctx.ensure_object(dict)
    ctx.obj["root"] = racine or Path.cwd()
    ctx.obj["db"] = base or history.default_path(ctx.obj["root"])
    ctx.obj["debug"] = debug


@main.command(short_help="Afficher, vérifier ou exporter la nomenclature.")
@campaign_option
@click.option("--export", "export_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Exporter la nomenclature dans un fichier .xlsx ou .csv.")
@click.option("--dossier", type=click.Path(file_okay=False, path_type=Path),
              help="Vérifier la nomenclature de ce dossier (familles.csv, metiers.csv) au lieu de celle de la campagne.")
@_guard
def nomenclature(campaign_ref: str, export_path: Path | None, dossier: Path | None) -> None:
    """Afficher, vérifier ou exporter la nomenclature des métiers."""
    nom = load_nomenclature(dossier) if dossier else _campaign(campaign_ref).nomenclature
    table = nom.as_table()
    if export_path:
        if export_path.suffix.lower() == ".csv":
            table.to_csv(export_path, sep=";", index=False, encoding="utf-8-sig")
        elif export_path.suffix.lower() == ".xlsx":
            table.to_excel(export_path, index=False, sheet_name="Nomenclature", engine="xlsxwriter",
                           engine_kwargs={"options": {"strings_to_formulas": False, "strings_to_urls": False}})
        else:
            raise UserError("Indiquez un fichier d'export se terminant par .xlsx ou .csv.")
        click.echo(f"Nomenclature exportée : {export_path}")
        return
    click.echo(f"Nomenclature : {nom.source}")
    click.echo(f"Empreinte : {nom.empreinte} — {len(nom.familles)} familles, {len(nom.metiers)} métiers, "
               f"{len(nom.lignes)} lignes à remplir par société.")
    for numero, groupe in nom.groupes:
        click.echo(f"\n{numero} - {groupe}")
        for fam in nom.familles_du_groupe(groupe).itertuples(index=False):
            click.echo(f"  {fam.code_famille} - {fam.intitule_famille}")
            for m in nom.metiers_de(fam.code_famille).itertuples(index=False):
                click.echo(f"    {m.code_metier}  {m.intitule_metier}")
                if len(m.emplois) > 1:
                    for i, e in enumerate(m.emplois, start=1):
                        click.echo(f"      {m.code_metier}-{i}  {e}")


@main.command("nouvelle-campagne", short_help="Créer un fichier de campagne à compléter.")
@click.argument("identifiant")
@click.option("--depuis", default="2007",
              help="Campagne dont reprendre les sociétés et le contact (par défaut : 2007).")
@click.option("--date-arrete", type=click.DateTime(["%Y-%m-%d"]), help="Date d'arrêté des effectifs (AAAA-MM-JJ).")
@click.option("--date-limite", type=click.DateTime(["%Y-%m-%d"]), help="Date limite de retour (AAAA-MM-JJ).")
@click.option("--libelle", help="Libellé de la campagne.")
@_guard
def nouvelle_campagne(identifiant: str, depuis: str, date_arrete, date_limite, libelle) -> None:
    """Créer le fichier de campagne campagnes/IDENTIFIANT.toml, à compléter."""
    path = new_campaign_file(
        identifiant, _root(), depuis,
        date_arrete.date() if date_arrete else None, date_limite.date() if date_limite else None, libelle,
    )
    click.echo(f"Fichier de campagne créé : {path}")
    click.echo("Vérifiez-y les dates, le contact et la liste des sociétés, puis lancez : "
               f"effectifs modeles -c {identifiant}")


@main.command(short_help="Écrire les modèles à remplir, un par société.")
@campaign_option
@_guard
def modeles(campaign_ref: str) -> None:
    """Écrire un classeur à remplir par société (templates_xlsx/CAMPAGNE/)."""
    campaign = _campaign(campaign_ref)
    with _progress(len(campaign.societes), "Écriture des modèles") as update:
        paths, note = write_campaign_templates(campaign, _root(), click.get_current_context().obj["db"], update)
    click.echo(f"{len(paths)} modèle(s) écrit(s) dans {campaign.templates_dir(_root())} :")
    for p in paths:
        click.echo(f"  {p.name}")
    if note:
        click.echo(note)
    click.echo(f"Envoyez chaque fichier à sa société ; déposez les retours dans {campaign.inputs_dir(_root())}.")


PROGRESS_MIN = 50  # progress bars from this many files, on a terminal only


@contextlib.contextmanager
def _progress(count: int, label: str):
    """A progress bar's update function on a terminal with many files; None (quiet) otherwise."""
    if count < PROGRESS_MIN or not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=count, label=label, file=sys.stderr) as bar:
        yield bar.update


def _run(campaign_ref: str, consolidate_it: bool) -> Run:
    ctx = click.get_current_context()
    campaign = _campaign(campaign_ref)
    folder = campaign.inputs_dir(_root())
    count = len(list(folder.iterdir())) if folder.is_dir() else 0
    with _progress(count, "Lecture des retours") as update:
        return run_campaign(campaign, _root(), ctx.obj["db"], consolidate_it, progress=update)


def _outputs(run: Run) -> dict[str, Path]:
    outputs = {"Rapport de contrôle": run.control_report}
    if run.returns:
        outputs[f"Classeurs à renvoyer aux sociétés ({len(run.returns)}, avec le texte du courriel)"] = \
            run.returns[0].parent
    if run.consolidation_path:
        outputs["Consolidation"] = run.consolidation_path
    return outputs


def _summary(run: Run) -> dict:
    result = run.checked
    return {
        "campagne": result.campaign.identifiant,
        "societes_attendues": len(result.campaign.societes),
        "societes_acceptees": run.companies_accepted,
        "societes_sans_retour": list(result.manquantes["identifiant"]),
        "fichiers": result.fichiers.to_dict(orient="records"),
        "messages": result.messages.to_dict(orient="records"),
        "historique": {"nouvelles_soumissions": run.recorded.new, "inchanges": run.recorded.unchanged,
                       "en_attente": run.recorded.pending},
        "sorties": {k: str(v) for k, v in _outputs(run).items()},
    }


def _finish(run: Run, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(_summary(run), ensure_ascii=False, indent=2, default=str))
    else:
        for line in summary_lines(run.checked):
            click.echo(line)
        n = len(run.checked.campaign.societes)
        click.echo(f"Historique : {len(run.recorded.new)} nouvelle(s) soumission(s), {len(run.recorded.unchanged)} "
                   f"déjà connue(s). Sociétés retenues (dernière soumission acceptée) : "
                   f"{len(run.companies_accepted)} sur {n}.")
        for label, path in _outputs(run).items():
            click.echo(f"{label} : {path}")
    if run.accepted.declarations.empty:
        _err("Aucun retour accepté : rien à consolider. Le rapport de contrôle indique les corrections à demander.")
    if not run.complete:
        click.get_current_context().exit(EXIT_INCOMPLETE)


@main.command(short_help="Contrôler les retours des sociétés.")
@campaign_option
@json_option
@_guard
def controler(campaign_ref: str, as_json: bool) -> None:
    """Contrôler les retours déposés dans inputs/CAMPAGNE/ (rapport outputs/CAMPAGNE/controle.xlsx)."""
    _finish(_run(campaign_ref, consolidate_it=False), as_json)


@main.command(short_help="Contrôler puis consolider les retours.")
@campaign_option
@json_option
@_guard
def consolider(campaign_ref: str, as_json: bool) -> None:
    """Contrôler les retours puis écrire le tableau de la branche (outputs/CAMPAGNE/consolidation.xlsx)."""
    _finish(_run(campaign_ref, consolidate_it=True), as_json)


@main.command(short_help="Où en est la campagne : suivi par société et relances.")
@campaign_option
@json_option
@click.option("--au", "today", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Date du jour pour le calcul des retards (AAAA-MM-JJ ; par défaut : aujourd'hui).")
@_guard
def status(campaign_ref: str, as_json: bool, today) -> None:
    """Suivi de la campagne : par société, fichiers reçus, statut, retard, contact ; liste des relances.

    Écrit outputs/CAMPAGNE/suivi.xlsx (à transmettre à l'Observatoire) et outputs/CAMPAGNE/relances.txt
    (texte du courriel de relance).
    """
    ctx = click.get_current_context()
    campaign = _campaign(campaign_ref)
    board = campaign_dashboard(campaign, _root(), ctx.obj["db"], today.date() if today else None)
    if as_json:
        click.echo(json.dumps({"campagne": campaign.identifiant, "compteurs": status_counts(board.status),
                               "societes": board.status.to_dict(orient="records"),
                               "relances": list(to_chase(board.status)["identifiant"]),
                               "sorties": {"suivi": str(board.suivi_path), "relances": str(board.reminders_path)}},
                              ensure_ascii=False, indent=2))
    else:
        for line in console_lines(campaign, board.status):
            click.echo(line)
        click.echo("")
        click.echo(board.reminders.rstrip())
        click.echo("")
        click.echo(f"Tableau de suivi : {board.suivi_path}")
        click.echo(f"Texte des relances : {board.reminders_path}")
    if not to_chase(board.status).empty:
        ctx.exit(EXIT_INCOMPLETE)


@main.command(short_help="Proposer un métier pour chaque intitulé de poste d'une société.")
@click.argument("export", required=False, type=click.Path(dir_okay=False, path_type=Path))
@campaign_option
@click.option("--societe", help="Identifiant de la société (voir le fichier de campagne).")
@click.option("--colonne-intitule", help="Nom de la colonne des intitulés de poste dans l'export.")
@click.option("--colonne-effectif", help="Nom de la colonne des effectifs (sans elle : une ligne par salarié).")
@click.option("--sortie", type=click.Path(dir_okay=False, path_type=Path), help="Classeur de rapprochement à écrire.")
@click.option("--evaluer", is_flag=True, help="Mesurer la justesse des propositions sur le jeu d'évaluation.")
@_guard
def suggest(export, campaign_ref, societe, colonne_intitule, colonne_effectif, sortie, evaluer) -> None:
    """Rapprocher les intitulés de poste d'un export RH (.xlsx ou .csv) des métiers de la branche.

    Écrit un classeur de rapprochement à faire vérifier par la société (colonne « Code retenu »), puis
    « effectifs remplir » en fait le modèle rempli.
    """
    from .suggest import evaluate, read_export, suggest as propose, write_review

    campaign = _campaign(campaign_ref)
    if evaluer:
        r = evaluate(campaign.nomenclature)
        click.echo(f"Jeu d'évaluation : {r['titres']} intitulés ({len(r['ecartes_ambigus'])} écartés car "
                   "identiques pour deux métiers).")
        click.echo(f"Signalés pour décision humaine : {r['signales']} ({_pct(r['taux_signales'])}).")
        click.echo(f"Sur les propositions confiantes : top-1 {_pct(r['top1'])}, top-3 {_pct(r['top3'])}, "
                   f"erreurs {_pct(r['erreurs_confiantes'])}.")
        for source, g in r["detail"].groupby("source"):
            ok = g[g["confiant"]]
            click.echo(f"  {source} : {len(g)} intitulés, {_pct((~g['confiant']).mean())} signalés, top-1 "
                       f"{_pct(ok['top1'].mean() if len(ok) else 0)} sur les confiants")
        return
    if export is None or not societe:
        raise UserError("Indiquez l'export et la société : effectifs suggest EXPORT --societe IDENTIFIANT")
    if societe not in set(campaign.societes["identifiant"]):
        raise UserError(f"Société « {societe} » inconnue dans la campagne {campaign.identifiant}.")
    proposals = propose(campaign, read_export(export, colonne_intitule, colonne_effectif))
    path = sortie or campaign.outputs_dir(_root()) / "rapprochements" / f"revue_{societe}.xlsx"
    write_review(campaign, societe, proposals, path)
    flagged = int((proposals["a_verifier"] != "").sum())
    click.echo(f"{len(proposals)} intitulé(s) distinct(s), {int(proposals['effectif'].sum())} personne(s) : "
               f"{len(proposals) - flagged} proposition(s) confiante(s), {flagged} à décider.")
    click.echo(f"Classeur de rapprochement : {path}")
    click.echo("Après vérification : effectifs remplir " + str(path))


@main.command(short_help="Faire du rapprochement vérifié le modèle rempli de la société.")
@click.argument("revue", type=click.Path(dir_okay=False, path_type=Path))
@campaign_option
@click.option("--sortie", type=click.Path(dir_okay=False, path_type=Path), help="Modèle rempli à écrire.")
@_guard
def remplir(revue, campaign_ref, sortie) -> None:
    """Additionner les effectifs par code retenu et écrire le modèle rempli de la société, contrôlé comme un retour."""
    import tempfile

    from .ingest import ingest
    from .suggest import review_to_values
    from .templates import write_template

    campaign = _campaign(campaign_ref)
    company, values, comments = review_to_values(campaign, revue)
    name = campaign.societes.set_index("identifiant").loc[company, "fichier"]
    path = sortie or campaign.outputs_dir(_root()) / "rapprochements" / name
    write_template(campaign, company, path, values, comments)
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / path.name).write_bytes(path.read_bytes())
        check = ingest(campaign, _root(), folder=tmp)
    status = check.fichiers["statut"].iloc[0]
    click.echo(f"Modèle rempli : {path} — {values[KEY_TOTAL]} personne(s) ; contrôle : {status}.")
    for m in check.messages.itertuples(index=False):
        click.echo(f"  - {m.gravite} {m.feuille}!{m.cellule} : {m.message}")
    if status == "rejeté":
        click.get_current_context().exit(EXIT_INCOMPLETE)


@main.command(short_help="Dérouler la campagne 2007 de démonstration.")
@_guard
def demo() -> None:
    """Dérouler la campagne 2007 de démonstration : modèles, retours d'exemple, contrôle, consolidation."""
    from .demo import run_demo

    started = dt.datetime.now()
    r = run_demo(_root(), click.get_current_context().obj["db"])
    table = r.consolidation.table.set_index("niveau")
    click.echo(f"Campagne de démonstration {r.ingestion.campaign.identifiant} "
               f"(répartition fictive par société des effectifs publiés en 2007).")
    click.echo(f"  modèles vierges ({len(r.templates)})            : {r.templates[0].parent}")
    click.echo(f"  retours d'exemple remplis ({len(r.returns)})  : {r.returns[0].parent}")
    click.echo(f"  contrôle : {len(r.ingestion.acceptees)} société(s) acceptée(s) sur "
               f"{len(r.ingestion.campaign.societes)} — {r.control_report}")
    click.echo(f"  consolidation : {_number(int(table.loc['branche', 'effectif']))} personnes dans la branche, "
               f"dont {_number(int(table.loc['non_ventiles', 'effectif']))} non ventilées — {r.consolidation_path}")
    diffusion = r.consolidation_path.with_name("diffusion.xlsx")
    click.echo(f"  édition publiée (secret statistique, {len(r.consolidation.protection.masked)} cellules "
               f"masquées) : {diffusion}")
    click.echo(f"Terminé en {(dt.datetime.now() - started).total_seconds():.1f} s.")
    if not r.ingestion.all_accepted:
        click.get_current_context().exit(EXIT_INCOMPLETE)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
