"""The job-title assistant's commands: ``rapprocher`` (a review workbook from an HR export, or the measured
accuracy with ``--evaluer``), ``remplir`` (the template filled from the reviewed workbook) and ``lexique``
(the lexicon workbook exported for the observatory, its decisions loaded back)."""

from __future__ import annotations

from pathlib import Path

import click

from ..core.errors import UserError
from ..core.form import KEY_TOTAL
from ..core.texts import console as C
from ..core.texts import fr
from ..core.vocab import Status
from .common import EXIT_INCOMPLETE, _guard, _project, _say, campaign_option
from .french import FrenchCommand


@click.command("rapprocher", cls=FrenchCommand, short_help=C.HELP["suggest.short"], help=C.HELP["suggest"])
@click.argument("export", required=False, type=click.Path(dir_okay=False, path_type=Path), metavar="EXPORT")
@campaign_option
@click.option("--societe", help=C.HELP["societe"], metavar=C.METAVAR_ID)
@click.option("--colonne-intitule", help=C.HELP["colonne-intitule"], metavar=C.METAVAR_COLUMN)
@click.option("--colonne-effectif", help=C.HELP["colonne-effectif"], metavar=C.METAVAR_COLUMN)
@click.option("--par-salarie", is_flag=True, help=C.HELP["par-salarie"])
@click.option("--sortie", type=click.Path(dir_okay=False, path_type=Path), help=C.HELP["sortie-revue"],
              metavar=C.METAVAR_FILE)
@click.option("--evaluer", is_flag=True, help=C.HELP["evaluer"])
@_guard
def rapprocher(export, campaign_ref, societe, colonne_intitule, colonne_effectif, par_salarie, sortie,
               evaluer) -> None:
    project = _project()
    campaign = project.campaign(campaign_ref)
    if evaluer:
        from ..write.console import evaluation_lines

        for line in evaluation_lines(project.evaluate_matching(campaign)):
            _say(line)
        return
    if export is None or not societe:
        raise UserError(C.SUGGEST_NEEDS)
    if societe not in campaign.company_ids:
        raise UserError(fr(C.SUGGEST_UNKNOWN, societe=societe, campagne=campaign.identifiant))
    done = project.suggest(campaign, export, societe, colonne_intitule, colonne_effectif, sortie, par_salarie)
    for note in done.notes:
        _say(fr(C.EXPORT_NOTE, nom=export.name, note=note))
    p = done.proposals
    flagged, filled = int((p["a_verifier"] != "").sum()), int(p["prerempli"].sum())
    _say(fr(C.SUGGEST_DONE, n=len(p), personnes=int(p["effectif"].sum()), prerempli=filled,
            confiants=len(p) - flagged - filled, a_decider=flagged))
    _say(fr(C.SUGGEST_PATH, chemin=done.path))
    _say(fr(C.SUGGEST_NEXT, chemin=done.path))


@click.command("remplir", cls=FrenchCommand, short_help=C.HELP["remplir.short"], help=C.HELP["remplir"])
@click.argument("revue", type=click.Path(dir_okay=False, path_type=Path), metavar="REVUE")
@campaign_option
@click.option("--sortie", type=click.Path(dir_okay=False, path_type=Path), help=C.HELP["sortie-modele"],
              metavar=C.METAVAR_FILE)
@_guard
def remplir(revue, campaign_ref, sortie) -> None:
    from ..core.texts.messages import rendered

    project = _project()
    done = project.fill(project.campaign(campaign_ref), revue, sortie)
    statut = done.checked.fichiers["statut"].iloc[0]
    _say(fr(C.FILLED, chemin=done.path, personnes=done.values[KEY_TOTAL], statut=statut))
    for m in rendered(done.checked.messages).itertuples(index=False):
        _say(fr(C.FILLED_MESSAGE, gravite=m.gravite, feuille=m.feuille, cellule=m.cellule, message=m.message))
    _say(fr(C.FILLED_LEARNED, n=done.learned, societe=done.company) if done.learned else C.FILLED_NOT_LEARNED)
    if statut == Status.REJECTED:
        click.get_current_context().exit(EXIT_INCOMPLETE)


@click.command("lexique", cls=FrenchCommand, short_help=C.HELP["lexique.short"], help=C.HELP["lexique"])
@campaign_option
@click.option("--export", "export_path", type=click.Path(dir_okay=False, path_type=Path),
              help=C.HELP["lexique-export"], metavar=C.METAVAR_FILE)
@click.option("--charger", "load_path", type=click.Path(dir_okay=False, path_type=Path),
              help=C.HELP["lexique-charger"], metavar=C.METAVAR_FILE)
@click.option("--load", "load_english", type=click.Path(dir_okay=False, path_type=Path), hidden=True)
@_guard
def lexique(campaign_ref, export_path, load_path, load_english) -> None:
    load_path = load_path or load_english  # the English name still works, and the help shows only French
    project = _project()
    campaign = project.campaign(campaign_ref)
    if export_path and load_path:
        raise click.UsageError(C.LEXICON_ONE_ACTION)
    if export_path:
        if export_path.suffix.lower() != ".xlsx":
            raise UserError(C.LEXICON_EXPORT_FORMAT)
        _say(fr(C.LEXICON_EXPORTED, chemin=project.export_lexicon(campaign, export_path)))
    elif load_path:
        done = project.load_lexicon(campaign, load_path)
        _say(fr(C.LEXICON_LOADED, nom=load_path.name, ajouts=done.placed, retraits=done.withdrawn))
    lex = project.lexicon()
    _say(fr(C.LEXICON_SUMMARY, n=len(lex), depart=int(lex["depart"].sum()), valides=int((lex["societes"] > 0).sum()),
            observatoire=int(lex["observatoire"].sum())))
