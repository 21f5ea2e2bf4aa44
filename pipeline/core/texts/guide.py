"""The « Mode d'emploi » sheet of the template: what HR read before filling it in.

Each item is (kind, text); kinds: title, subtitle, section, para, item. Texts are filled with
:func:`guide`'s parameters; an item whose text ends up empty is left out.
"""

from __future__ import annotations

from ..vocab import Change
from . import fr

NV_SECTION = "Les effectifs non ventilés (ligne NV)"
# The cartography's rules, with its examples: each said only when the nomenclature still has the métiers it names,
# found by their titles (codes change from one version to the next).
MANAGERS = " (par exemple le responsable d'une équipe de chargé(e)s de réservation est compté en {reservation})"
EXCEPTION = ("Exception : les encadrant(e)s d'assistance ont leur propre métier, {encadrant} ; ne les comptez pas "
             "avec les chargé(e)s d'assistance ({assistance}).")
RULE_TITLES = {"reservation": "Chargé(e) de réservation", "encadrant": "Encadrant(e) d'assistance",
               "assistance": "Chargé(e) d'assistance"}
SPLIT = ("Lorsqu'un métier est divisé en emplois rattachés (par exemple {split_code} {split_title}), répartissez "
         "ses effectifs sur les lignes {split_code}-1, {split_code}-2… : le total du métier se calcule seul.")

ITEMS = [
    ("title", "Mode d'emploi — ventilation des effectifs par métier"),
    ("subtitle", "{libelle}"),
    ("subtitle", "Fichier préparé pour : {societe}"),
    ("section", "Qui remplit ce fichier ?"),
    ("para", "La direction des ressources humaines {societe:de}, ou la personne qu'elle désigne. Ce fichier est "
             "propre à votre société : ne l'échangez pas avec une autre société."),
    ("section", "Ce qu'il faut compter"),
    ("item", "Les effectifs permanents de la société au {date_arrete:d} (date d'arrêté), en nombre de personnes et "
             "non en équivalents temps plein."),
    ("item", "Chaque personne est comptée une seule fois, dans le métier où elle passe le plus de temps."),
    ("item", "Les responsables hiérarchiques directs des titulaires d'un métier sont comptés dans ce métier"
             "{managers}."),
    ("item", "{exception}"),
    ("item", "{split}"),
    ("section", "Rattacher vos intitulés de poste aux métiers"),
    ("item", "Les intitulés d'emploi varient d'une société à l'autre. Pour chaque métier, la colonne « Autres "
             "dénominations rencontrées » donne les intitulés déjà rencontrés dans les sociétés de la branche : "
             "elle vous aide à rattacher vos propres intitulés au bon métier."),
    ("item", "Les familles de métiers ne correspondent pas forcément aux services ou directions de votre société : "
             "rattachez chaque personne selon son métier, pas selon son service."),
    ("item", "Si vous disposez d'un export de vos effectifs par intitulé de poste, le secrétariat peut vous préparer "
             "un classeur de rapprochement qui propose un métier pour chaque intitulé : vous vérifiez la colonne "
             "« Code retenu » (les lignes en orange sont à décider) et le renvoyez ; ce fichier en est tiré "
             "automatiquement."),
    ("section", NV_SECTION),
    ("item", "Comptez sur la ligne NV les personnes qui ne relèvent d'aucun des métiers listés : fonctions de "
             "direction, missions ponctuelles, salariés détachés provisoirement dans d'autres structures "
             "juridiques, et métiers n'ayant pas fait l'objet d'une fiche métier (métiers à faibles effectifs ou "
             "propres à une seule société)."),
    ("item", "Indiquez dans le commentaire de la ligne NV les principaux emplois concernés."),
    ("section", "Comment saisir"),
    ("item", "Saisissez uniquement dans les cellules jaunes de la feuille « Effectifs » : un nombre entier de "
             "personnes, 0 ou plus. Une cellule laissée vide compte pour 0."),
    ("item", "Les sous-totaux et totaux se calculent automatiquement."),
    ("item", "Indiquez sur la ligne TOTAL l'effectif permanent total de la société à la date d'arrêté. La ligne "
             "« Écart » doit afficher 0 ; sinon, vérifiez la ventilation et les non ventilés."),
    ("item", "La colonne « Commentaire » accueille toute précision utile (réorganisation, métier nouveau, "
             "variation importante…), en toutes lettres : un nombre saisi dans cette colonne n'est pas compté."),
    ("item", "{rappel}"),
    ("item", "Vous pouvez renommer le fichier. Ne renommez pas les feuilles ; n'ajoutez, ne supprimez et ne déplacez aucune ligne ni "
             "colonne : le fichier est contrôlé automatiquement à son retour. Un intitulé de poste qui ne trouve "
             "pas sa place est compté en non ventilés et expliqué en commentaire."),
    ("item", "Vous pouvez remplir ce fichier avec Microsoft Excel ou LibreOffice Calc."),
    ("section", "Retour du fichier"),
    ("item", "Enregistrez-le au format Excel (.xlsx) ou, dans LibreOffice, au format .ods — pas dans l'ancien "
             "format Excel 97-2003 (.xls) — et sans mot de passe."),
    ("item", "Retournez ce fichier au plus tard le {date_limite:d}, {retour}."),
    ("item", "Si le contrôle automatique relève un problème, le secrétariat vous renvoie votre classeur : les "
             "cellules à revoir y sont surlignées et la feuille « Anomalies » indique, pour chacune, ce qui est "
             "attendu et ce qu'il faut faire."),
    ("item", "Contact pour toute question : {contact}."),
    ("item", "Les effectifs de chaque société sont destinés à l'Observatoire des Métiers de l'Assistance, qui "
             "publie des résultats agrégés pour l'ensemble de la branche."),
]
DEFAULT_RETURN = "au contact ci-dessous"
REMINDER_COLUMN = ("La colonne grisée « Rappel » montre, pour mémoire, les effectifs de votre société retenus lors de "
                   "la campagne {precedente}. Elle reste vide si aucun fichier de votre société n'a été retenu lors de "
                   "cette campagne, et là où un changement de la liste des métiers empêche de comparer ligne à ligne "
                   "(métier créé, scindé ou redistribué, sous-total d'une famille ou d'un groupe qu'un changement "
                   "traverse ou qui gagne ou perd un métier) ; sur la ligne d'un métier qui en regroupe plusieurs, elle donne leur "
                   "somme. Une évolution importante d'un métier est signalée au contrôle : une explication dans le "
                   "commentaire de la ligne suffit.")

# --- what changed in the nomenclature since the previous campaign (after « Rattacher vos intitulés… ») ---------
CHANGES_SECTION = "Ce qui change depuis la campagne {precedente}"
CHANGES_INTRO = ("La liste des métiers a changé depuis la campagne {precedente} : classez vos effectifs selon les "
                 "métiers de ce fichier, en tenant compte de ce qui suit.")
CHANGE_TEXTS = {
    Change.NEW: "Nouveau métier : {maintenant}.",
    Change.REMOVED: ("Le métier {avant} n'existe plus : comptez les personnes qui l'exerçaient dans le métier qui "
                     "correspond à leur emploi, ou sur la ligne NV."),
    Change.RENAMED: "Le métier {avant} devient {maintenant}.",
    Change.SPLIT: ("Le métier {avant} est scindé en {maintenant} : répartissez entre ces lignes les personnes que vous "
                   "comptiez dans ce métier."),
    Change.MERGED: ("Les métiers {avant} sont regroupés en {maintenant} : comptez désormais sur cette ligne les "
                    "personnes de ces métiers."),
    Change.REGROUPED: ("Les métiers {avant} sont redistribués entre {maintenant} : répartissez entre ces nouvelles "
                       "lignes les personnes que vous comptiez dans les anciens métiers."),
    Change.SAME: "Le métier {code} s'intitule désormais « {intitule} » (auparavant « {ancien} »).",
}
CHANGE_RECODED = "Le métier {avant} prend le code {code}."  # recoded, its title kept
CHANGE_METIER = "{code} {intitule}"
CHANGE_FAMILY = ", dans la famille {code} - {famille}"  # after the title of a métier that changed family
CHANGE_LAST = " et "


# --- what a campaign asking breakdowns or ETP adds (before « Retour du fichier ») ---------------------------
BREAKDOWNS_SECTION = "Les répartitions demandées (sexe, âge, contrat…) et les ETP"
BREAKDOWNS_ASKED = ("Cette campagne demande aussi, pour chaque ligne de métier et pour la ligne NV, la répartition de "
                    "l'effectif par : {ventilations}. Les colonnes de chaque répartition sont regroupées sous son "
                    "titre, à droite de l'effectif (à l'impression, sur les pages suivantes, avec les intitulés "
                    "répétés).")
BREAKDOWNS_SUM = ("Chaque répartition s'additionne à l'effectif de la ligne : tant que sa somme diffère, ses cellules "
                  "deviennent rouges ; vide sur une ligne qui a un effectif, elle apparaît en orange pâle. Saisissez "
                  "des nombres entiers de personnes ; la ligne TOTAL ne se répartit pas.")
BREAKDOWNS_CROSSED = ("Le tableau croisé « {croisement} » compte les personnes par couple de catégories : il "
                      "s'additionne à l'effectif de la ligne, et ses cases doivent retrouver les colonnes de chacune "
                      "des deux répartitions.")
BREAKDOWNS_NOT_GIVEN = ("Si vous ne connaissez pas la répartition « {ventilation} », comptez les personnes en « non "
                        "renseigné », ou laissez toute la répartition vide : elles comptent alors comme non "
                        "renseignées.")
BREAKDOWNS_ETP = ("La colonne ETP compte les équivalents temps plein de la ligne, avec une décimale au plus (une "
                  "personne à mi-temps compte 0,5), jamais plus que l'effectif de la ligne.")


def _breakdown_items(campaign) -> list[tuple[str, str]]:
    saisie = campaign.saisie
    if not saisie.any:
        return []
    items = [("section", BREAKDOWNS_SECTION)]
    simple = [b for b in saisie.breakdowns if not b.crosses]
    if simple:
        items += [("item", fr(BREAKDOWNS_ASKED, ventilations=", ".join(b.label.lower() for b in simple))),
                  ("item", BREAKDOWNS_SUM)]
    items += [("item", fr(BREAKDOWNS_CROSSED, croisement=b.label)) for b in saisie.breakdowns if b.crosses]
    items += [("item", fr(BREAKDOWNS_NOT_GIVEN, ventilation=b.label)) for b in simple if b.non_renseigne]
    return items + ([("item", BREAKDOWNS_ETP)] if saisie.etp else [])


def _rule_codes(nomenclature) -> dict[str, tuple[str, str]]:
    """The métiers the cartography's rules name (:data:`RULE_TITLES`) found in ``nomenclature`` by their title
    (whatever its case and spaces): key -> (code, title); once per nomenclature."""
    if "guide_rules" not in nomenclature.cache:
        def folded(text: str) -> str:
            return " ".join(text.lower().split())

        by_title = {folded(t): (c, t) for c, t in zip(nomenclature.metiers["code_metier"],
                                                      nomenclature.metiers["intitule_metier"])}
        nomenclature.cache["guide_rules"] = {key: by_title[folded(title)] for key, title in RULE_TITLES.items()
                                             if folded(title) in by_title}
    return nomenclature.cache["guide_rules"]


def _rules(nomenclature) -> dict[str, str]:
    """The ``managers`` and ``exception`` parameters of the guide's items: empty when a métier they name is gone."""
    found = _rule_codes(nomenclature)
    managers = fr(MANAGERS, reservation=found["reservation"][0]) if "reservation" in found else ""
    exception = fr(EXCEPTION, encadrant=" ".join(found["encadrant"]), assistance=found["assistance"][0]) \
        if {"encadrant", "assistance"} <= set(found) else ""
    return {"managers": managers, "exception": exception}


def _split_metier(nomenclature):
    """The first métier listing several emplois rattachés (the guide's example), found once per nomenclature."""
    if "guide_split" not in nomenclature.cache:
        nomenclature.cache["guide_split"] = next(
            (m for m in nomenclature.metiers.itertuples(index=False) if len(m.emplois) > 1), None)
    return nomenclature.cache["guide_split"]


def _listed(metiers: list[tuple[str, str]]) -> str:
    """« 0803 Titre et 0804 Titre », from (code, title) pairs."""
    texts = [fr(CHANGE_METIER, code=code, intitule=title) for code, title in metiers]
    return CHANGE_LAST.join([", ".join(texts[:-1]), texts[-1]]) if len(texts) > 1 else "".join(texts)


def change_items(previous: str, changes: list[tuple[str, list[tuple[str, str]], list[tuple[str, str]]]]
                 ) -> list[tuple[str, str]]:
    """The guide's section on what changed in the nomenclature since the campaign ``previous``: one item per change
    (its :class:`~pipeline.core.vocab.Change`, the métiers before and now as (code, title) pairs); none without any."""
    items = []
    for kind, before, now in changes:
        if kind == Change.SAME:
            (code, old), (_, title) = before[0], now[0]
            items.append(("item", fr(CHANGE_TEXTS[kind], code=code, intitule=title, ancien=old)))
        elif kind == Change.RENAMED and before[0][1] == now[0][1]:
            items.append(("item", fr(CHANGE_RECODED, avant=_listed(before), code=now[0][0])))
        else:
            items.append(("item", fr(CHANGE_TEXTS[kind], avant=_listed(before), maintenant=_listed(now))))
    if not items:
        return []
    return [("section", fr(CHANGES_SECTION, precedente=previous)), ("para", fr(CHANGES_INTRO, precedente=previous)),
            *items]


def guide(campaign, company: str, previous: str | None = None, changes: list[tuple[str, str]] = ()
          ) -> list[tuple[str, str]]:
    """The guide's items for one company's template (``previous``: the campaign of its reminder column; ``changes``:
    the items of :func:`change_items`, placed before « Les effectifs non ventilés »)."""
    split = _split_metier(campaign.nomenclature)
    params = dict(libelle=campaign.libelle, societe=company, date_arrete=campaign.date_arrete,
                  date_limite=campaign.date_limite, retour=campaign.contact.get("retour") or DEFAULT_RETURN,
                  contact=campaign.contact_text(),
                  split=fr(SPLIT, split_code=split.code_metier, split_title=split.intitule_metier) if split else "",
                  rappel=fr(REMINDER_COLUMN, precedente=previous) if previous else "", **_rules(campaign.nomenclature))
    items = [(kind, fr(text, **params)) for kind, text in ITEMS]
    at = items.index(("section", NV_SECTION))
    items[at:at] = changes
    if campaign.saisie.any:
        at = items.index(("section", "Retour du fichier"))
        items[at:at] = _breakdown_items(campaign)
    return [(kind, text) for kind, text in items if text]
