"""The e-mails: the first send-out of the templates, the cover text of a return-to-sender workbook, and
the reminders. Each is a :class:`Mail` (subject and body); the writers make a ready-to-send draft (.eml)
and a plain text of it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial

from . import fr
from .config import DEFAULT_RETURN


@dataclass(frozen=True)
class Mail:
    subject: str
    body: str
    sheet_body: str = ""  # the body as the head of the workbook's own sheet of problems, when it is one

    @property
    def text(self) -> str:
        """The plain text: the subject line, then the body."""
        return fr(SUBJECT_LINE, objet=self.subject) + "\n\n" + self.body


SUBJECT_LINE = "Objet : {objet}"
GREETING = "Bonjour,"
CLOSING = "Cordialement,"

# --- the first send-out of the templates ----------------------------------------------------------------
SEND_SUBJECT = "Actualisation des effectifs par métier au {date_arrete:d} — {societe}"
SEND_BODY = (
    "Le SNSA lance la campagne « {libelle} ».\n\n"
    "Vous trouverez ci-joint le classeur à remplir pour {societe}. Il suffit d'y saisir, dans les cellules "
    "jaunes, l'effectif permanent de votre société au {date_arrete:d}, métier par métier ; la feuille « Mode "
    "d'emploi » du classeur explique comment classer chaque emploi et peut être imprimée.{rappel}{changements}\n\n"
    "Merci de nous le renvoyer rempli ({retour}) au plus tard le {date_limite:d}. Vous pouvez renommer le "
    "fichier ; ne modifiez ni ses feuilles ni ses colonnes."
)
SEND_LINK = ("\n\nVous pouvez aussi déposer le classeur rempli sur la page privée de votre société, qui le contrôle "
             "aussitôt et vous indique, cellule par cellule, ce qu'il faudrait corriger : {lien}\n"
             "Ce lien est réservé à {societe} : ne le transmettez pas.")
SEND_CHANGES = (" La liste des métiers a changé depuis la campagne {precedente} : le « Mode d'emploi » indique ce qui "
                "change.")
SEND_REMINDER_COLUMN = (" La colonne « Rappel » rappelle, pour mémoire, les effectifs de votre société retenus "
                        "lors de la campagne {precedente}.")

# --- the return to sender ---------------------------------------------------------------------------------
RETURN_SUBJECT_REJECTED = "Votre fichier d'effectifs au {date_arrete:d} est à corriger — {societe}"
RETURN_SUBJECT_REJECTED_KEPT = "Votre nouveau fichier d'effectifs au {date_arrete:d} est à corriger — {societe}"
RETURN_SUBJECT_WARNED = "Votre fichier d'effectifs au {date_arrete:d} : points à vérifier — {societe}"
RETURN_SUBJECT_CONVERTED = ("Votre fichier d'effectifs au {date_arrete:d} : classeur à vérifier et à renvoyer — "
                            "{societe}")
RETURN_FOUND = ("Merci pour l'envoi de votre fichier « {fichier} », reçu le {recu_le:d}. Le contrôle automatique a "
                "relevé {trouve}, {detaille} {ou}.")
# An .xls return whose only error is its format: its figures, read and checked, are sent back as .xlsx to check.
RETURN_CONVERTED = ("Merci pour l'envoi de votre fichier « {fichier} », reçu le {recu_le:d}. Vos chiffres ont été lus "
                    "et contrôlés, mais ce fichier est enregistré dans l'ancien format Excel 97-2003 (.xls), que nous "
                    "ne pouvons pas accepter : les formules, les erreurs de calcul et les formats des cellules ne s'y "
                    "vérifient pas.")
RETURN_CONVERTED_CLEAN = " Le contrôle automatique n'a relevé aucune autre anomalie."
RETURN_CONVERTED_WARNED = " Le contrôle automatique a relevé par ailleurs {trouve}, {detaille} {ou}."
RETURN_WHERE_MAIL = "dans la feuille « {feuille} » du classeur joint"
RETURN_WHERE_SHEET = "ci-dessous"  # the same letter, at the head of that sheet
WORKBOOK_MAIL = "le classeur joint"
WORKBOOK_SHEET = "ce classeur"
# What the attached workbook holds besides the Anomalies sheet (write.feedback says which applies).
CONTENT_MARKED = ("Ce classeur reprend vos chiffres dans le modèle de la campagne ; les cellules à revoir y sont "
                  "surlignées (rouge : erreur, orange : avertissement). Corrigez-le directement : inutile de repartir "
                  "de votre fichier.")
CONTENT_FIGURES = ("Ce classeur reprend vos chiffres dans le modèle de la campagne. Corrigez-le directement : inutile "
                   "de repartir de votre fichier.")
CONTENT_BLANK = ("Vos chiffres n'ont pas pu être lus dans votre fichier : ce classeur contient le modèle de la "
                 "campagne établi pour votre société, à remplir.")
CONTENTS = {"marked": CONTENT_MARKED, "figures": CONTENT_FIGURES, "blank": CONTENT_BLANK}
CONTENT_CONVERTED = ("Vous trouverez vos chiffres dans {classeur}, repris dans le modèle de la campagne au format "
                     "Excel actuel (.xlsx).")
CONTENT_CONVERTED_MARKED = ("Vous trouverez vos chiffres dans {classeur}, repris dans le modèle de la campagne au "
                            "format Excel actuel (.xlsx) ; les cellules à revoir y sont surlignées en orange.")
VERDICT_BLANK = ("Votre fichier n'a pas pu être pris en compte. Merci de saisir vos effectifs dans {classeur} "
                 "et de nous le renvoyer {quand}.")
VERDICT_REJECTED = "Votre fichier n'a pas pu être pris en compte. Merci de nous renvoyer le classeur corrigé {quand}."
VERDICT_REJECTED_KEPT = (
    "Ce nouveau fichier n'a pas pu être pris en compte : nous conservons pour l'instant celui que vous nous aviez "
    "envoyé le {retenu_le:d} (« {retenu} »). Si vos effectifs ont changé depuis, merci de nous renvoyer {classeur} "
    "corrigé {quand} ; sinon, vous n'avez rien à faire.")
VERDICT_WARNED = ("Votre fichier a bien été pris en compte. Merci de vérifier les points signalés et, si une "
                  "correction est nécessaire, de nous renvoyer {classeur} corrigé {quand}. Un chiffre signalé mais "
                  "exact n'est pas à corriger : expliquez-le, si vous nous renvoyez le classeur, dans la colonne "
                  "Commentaire de sa ligne.")
VERDICT_CONVERTED = ("Votre fichier n'a donc pas pu être pris en compte tel quel. Il n'y a rien à corriger : il vous "
                     "suffit de vérifier vos chiffres dans {classeur} et de nous le renvoyer {quand}.")
VERDICT_CONVERTED_WARNED = (
    "Votre fichier n'a donc pas pu être pris en compte tel quel. Merci de vérifier vos chiffres et les points signalés "
    "dans {classeur}, puis de nous le renvoyer {quand}, corrigé si nécessaire. Un chiffre signalé mais exact n'est "
    "pas à corriger : expliquez-le dans la colonne Commentaire de sa ligne.")
VERDICT_CONVERTED_KEPT = (
    "Ce nouveau fichier n'a donc pas pu être pris en compte : nous conservons pour l'instant celui que vous nous aviez "
    "envoyé le {retenu_le:d} (« {retenu} »). Si vos effectifs ont changé depuis, merci de vérifier {classeur} et de "
    "nous le renvoyer {quand} ; sinon, vous n'avez rien à faire.")
BEFORE_DEADLINE = "avant le {date_limite:d}"
AFTER_DEADLINE = "dès que possible (la date limite était le {date_limite:d})"

# --- the reminders ----------------------------------------------------------------------------------------
REMINDER_SUBJECT = "Relance : effectifs par métier au {date_arrete:d} — {societe}"
REMINDER_MISSING = (
    "Sauf erreur de notre part, nous n'avons pas encore reçu le fichier {societe:de} pour la campagne « {libelle} » "
    "(effectifs permanents au {date_arrete:d}). Vous trouverez ci-joint votre modèle : il suffit de le remplir et "
    "de nous le renvoyer {quand}.")
REMINDER_REJECTED = (
    "Le dernier fichier que vous nous avez envoyé pour la campagne « {libelle} » (« {fichier} », reçu le "
    "{recu_le:d}) n'a pas pu être pris en compte. Le classeur joint reprend vos chiffres dans le modèle de la "
    "campagne et indique, dans sa feuille « {feuille} », ce qu'il faut corriger. Merci de nous le renvoyer corrigé "
    "{quand}.")
# When none of the company's figures could be read in its file, the attached workbook is its blank template.
REMINDER_REJECTED_BLANK = (
    "Le dernier fichier que vous nous avez envoyé pour la campagne « {libelle} » (« {fichier} », reçu le "
    "{recu_le:d}) n'a pas pu être pris en compte : vos chiffres n'ont pas pu y être lus. Le classeur joint contient "
    "le modèle de la campagne établi pour votre société, et sa feuille « {feuille} » explique pourquoi. Merci de le "
    "remplir et de nous le renvoyer {quand}.")
REMINDER_REJECTED_NO_FEEDBACK = (
    "Le dernier fichier que vous nous avez envoyé pour la campagne « {libelle} » (« {fichier} », reçu le "
    "{recu_le:d}) n'a pas pu être pris en compte. Merci de nous renvoyer votre modèle rempli {quand}.")
REMINDER_REJECTED_KEPT = (
    "Le dernier fichier que vous nous avez envoyé pour la campagne « {libelle} » (« {fichier} », reçu le "
    "{recu_le:d}) n'a pas pu être pris en compte ; nous conservons celui du {retenu_le:d}. Si vos effectifs ont "
    "changé depuis, merci de nous renvoyer le classeur joint corrigé {quand} ; sinon, vous n'avez rien à faire.")
# An .xls whose only error is its format: the workbook attached holds its figures as .xlsx, nothing to correct.
REMINDER_CONVERTED = (
    "Le dernier fichier que vous nous avez envoyé pour la campagne « {libelle} » (« {fichier} », reçu le "
    "{recu_le:d}) est enregistré dans l'ancien format Excel 97-2003 (.xls), que nous ne pouvons pas accepter. Le "
    "classeur joint reprend vos chiffres au format actuel (.xlsx) : il n'y a rien à corriger, merci de les vérifier "
    "et de nous le renvoyer {quand}.")
REMINDER_CONVERTED_KEPT = (
    "Le dernier fichier que vous nous avez envoyé pour la campagne « {libelle} » (« {fichier} », reçu le "
    "{recu_le:d}) est enregistré dans l'ancien format Excel 97-2003 (.xls), que nous ne pouvons pas accepter ; nous "
    "conservons celui du {retenu_le:d}. Le classeur joint reprend les chiffres du nouveau au format actuel (.xlsx) : "
    "si vos effectifs ont changé depuis, merci de les vérifier et de nous le renvoyer {quand} ; sinon, vous n'avez "
    "rien à faire.")
REMINDER_REJECTED_KEPT_BLANK = (
    "Le dernier fichier que vous nous avez envoyé pour la campagne « {libelle} » (« {fichier} », reçu le "
    "{recu_le:d}) n'a pas pu être pris en compte, car vos chiffres n'ont pas pu y être lus ; nous conservons celui "
    "du {retenu_le:d}. Le classeur joint contient le modèle de la campagne établi pour votre société. Si vos "
    "effectifs ont changé depuis, merci de le remplir et de nous le renvoyer {quand} ; sinon, vous n'avez rien à "
    "faire.")

# --- relances.txt: the secretary's overview -----------------------------------------------------------------
REMINDER_NONE = "Aucune relance à faire : toutes les sociétés attendues ont un fichier accepté.\n"
REMINDER_LIST = "Sociétés à relancer :"
REMINDER_LINE = "- {societe} ({qui}) : {motif}"
REMINDER_NO_CONTACT = "adresse à compléter dans le fichier de campagne"
REMINDER_REASONS = {
    "manquant": "aucun fichier reçu",
    "rejeté": "dernier fichier rejeté",
    "rejeté (soumission précédente retenue)": "dernier fichier rejeté (le précédent, accepté, est retenu)",
}
REMINDER_SECRETARY = "À régler par le secrétariat avant toute relance :"
REMINDER_SECRETARY_LINE = "- {societe} : plusieurs fichiers reçus ({fichiers}) ; gardez dans le dossier celui à retenir"
REMINDER_DRAFTS = ("Un courriel prêt à envoyer par société (à ouvrir avec Outlook ou Thunderbird, pièce jointe "
                   "comprise) : {dossier}")
REMINDER_SEPARATOR = "-" * 72
TO_LINE = "À : {adresses}"
NO_ADDRESS = "(adresse à compléter dans le fichier de campagne)"


def found(n_errors: int, n_warnings: int) -> tuple[str, str]:
    """("2 erreurs et 1 avertissement", "détaillés"): what the check found, and the past participle
    agreeing with it (masculine as soon as a warning is among them)."""
    parts = ([fr("{n:pl:erreur|erreurs}", n=n_errors)] if n_errors else []) + \
        ([fr("{n:pl:avertissement|avertissements}", n=n_warnings)] if n_warnings else [])
    participle = "détaillé" + ("" if n_warnings else "e") + ("s" if n_errors + n_warnings > 1 else "")
    return " et ".join(parts), participle


def _when(campaign, today: dt.date) -> str:
    return fr(BEFORE_DEADLINE if today <= campaign.date_limite else AFTER_DEADLINE, date_limite=campaign.date_limite)


def _signed(*paragraphs: str, signature: list[str]) -> str:
    return "\n\n".join([GREETING, *paragraphs, CLOSING + "\n" + "\n".join(signature)]) + "\n"


def send_mail(campaign, company: str, previous: str | None, link: str | None = None, changed: bool = False) -> Mail:
    """The e-mail that sends a company its template (``link``: its private page on the web front, if any;
    ``changed``: its guide lists changes of the nomenclature since the previous campaign)."""
    rappel = fr(SEND_REMINDER_COLUMN, precedente=previous) if previous else ""
    body = fr(SEND_BODY, libelle=campaign.libelle, societe=company, date_arrete=campaign.date_arrete,
              date_limite=campaign.date_limite, retour=campaign.contact.get("retour") or DEFAULT_RETURN,
              rappel=rappel, changements=fr(SEND_CHANGES, precedente=campaign.precedente) if changed else "") + (
        fr(SEND_LINK, lien=link, societe=company) if link else "")
    return Mail(fr(SEND_SUBJECT, date_arrete=campaign.date_arrete, societe=company),
                _signed(body, signature=campaign.contact_parts()))


def return_mail(campaign, company: str, file: str, received: dt.datetime, n_errors: int, n_warnings: int,
                sheet: str, content: str, kept: tuple[str, dt.datetime] | None, today: dt.date,
                converted: bool = False) -> Mail:
    """The cover e-mail of a return-to-sender workbook. ``kept``: the earlier accepted file still used, when
    this one is rejected; ``content``: what the workbook holds besides the Anomalies sheet — the figures read with
    cells highlighted ("marked") or none to highlight ("figures"), or a blank template of the company ("blank");
    ``converted``: the file is an old .xls, one of the ``n_errors`` (when it is the only one, nothing is to correct:
    the company checks its figures in the .xlsx sent back and returns it)."""
    if converted and n_errors == 1 and content != "blank":
        return _converted_mail(campaign, company, file, received, n_warnings, sheet, content, kept, today)
    trouve, detaille = found(n_errors, n_warnings)
    quand = _when(campaign, today)
    if n_errors and kept:
        subject, verdict = RETURN_SUBJECT_REJECTED_KEPT, partial(fr, VERDICT_REJECTED_KEPT, retenu=kept[0],
                                                                 retenu_le=kept[1], quand=quand)
    elif n_errors:
        subject, verdict = RETURN_SUBJECT_REJECTED, partial(fr, VERDICT_BLANK if content == "blank" else
                                                            VERDICT_REJECTED, quand=quand)
    else:
        subject, verdict = RETURN_SUBJECT_WARNED, partial(fr, VERDICT_WARNED, quand=quand)
    # the e-mail, then the same letter at the head of the workbook's sheet of problems (« ci-dessous », « ce classeur »)
    bodies = [_signed(fr(RETURN_FOUND, fichier=file, recu_le=received, trouve=trouve, detaille=detaille, ou=where),
                      CONTENTS[content], verdict(classeur=workbook), signature=campaign.contact_parts())
              for where, workbook in _places(sheet)]
    return Mail(fr(subject, date_arrete=campaign.date_arrete, societe=company), *bodies)


def _places(sheet: str) -> tuple[tuple[str, str], ...]:
    """Where the problems are, and the workbook: as the e-mail says them, then as the head of its sheet."""
    return (fr(RETURN_WHERE_MAIL, feuille=sheet), WORKBOOK_MAIL), (RETURN_WHERE_SHEET, WORKBOOK_SHEET)


def _converted_mail(campaign, company: str, file: str, received: dt.datetime, n_warnings: int, sheet: str,
                    content: str, kept: tuple[str, dt.datetime] | None, today: dt.date) -> Mail:
    """:func:`return_mail` for an .xls whose only error is its format: its figures, read and checked, are in the
    .xlsx sent back; the company checks them (and the warnings, if any) and returns that workbook."""
    trouve, detaille = found(0, n_warnings)
    quand = _when(campaign, today)
    if kept:
        verdict = partial(fr, VERDICT_CONVERTED_KEPT, retenu=kept[0], retenu_le=kept[1], quand=quand)
    else:
        verdict = partial(fr, VERDICT_CONVERTED_WARNED if n_warnings else VERDICT_CONVERTED, quand=quand)
    said = fr(RETURN_CONVERTED, fichier=file, recu_le=received)
    bodies = [_signed(said + (fr(RETURN_CONVERTED_WARNED, trouve=trouve, detaille=detaille, ou=where) if n_warnings
                              else RETURN_CONVERTED_CLEAN),
                      fr(CONTENT_CONVERTED_MARKED if content == "marked" else CONTENT_CONVERTED, classeur=workbook),
                      verdict(classeur=workbook), signature=campaign.contact_parts())
              for where, workbook in _places(sheet)]
    return Mail(fr(RETURN_SUBJECT_CONVERTED, date_arrete=campaign.date_arrete, societe=company), *bodies)


def reminder_mail(campaign, company: str, state: str, file: str, received: dt.datetime | None,
                  kept: dt.datetime | None, feedback: bool, sheet: str, today: dt.date, content: str = "figures"
                  ) -> Mail:
    """The reminder to a company: nothing received, or its latest file rejected (``feedback``: its return-to-sender
    workbook is attached; ``content``: what it holds, "figures", "blank" — the company's blank template, no figure
    of its file having been read — or "converted" — the figures of an .xls whose only error is its format)."""
    blank = content == "blank"
    params = dict(societe=company, libelle=campaign.libelle, date_arrete=campaign.date_arrete, fichier=file,
                  recu_le=received, retenu_le=kept, feuille=sheet, quand=_when(campaign, today))
    if state == "manquant":
        text = REMINDER_MISSING
    elif feedback and content == "converted":
        text = REMINDER_CONVERTED_KEPT if kept is not None else REMINDER_CONVERTED
    elif kept is not None:
        text = REMINDER_REJECTED_KEPT_BLANK if feedback and blank else REMINDER_REJECTED_KEPT
    elif feedback:
        text = REMINDER_REJECTED_BLANK if blank else REMINDER_REJECTED
    else:
        text = REMINDER_REJECTED_NO_FEEDBACK
    return Mail(fr(REMINDER_SUBJECT, date_arrete=campaign.date_arrete, societe=company),
                _signed(fr(text, **params), signature=campaign.contact_parts()))
