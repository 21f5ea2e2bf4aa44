"""The e-mails: the cover text of a return-to-sender workbook, and the reminders."""

from __future__ import annotations

from . import fr

RETURN_SUBJECT = "Objet : effectifs par métier — {libelle} — {societe}"
RETURN_BODY = (
    "Bonjour,\n\n"
    "Merci pour l'envoi de votre fichier {noms}. Le contrôle automatique a relevé {trouve}, {detaille} dans la "
    "feuille « {feuille} » du classeur joint.{contenu}\n\n"
    "{verdict}\n\n"
    "Cordialement,\n"
    "{signature}\n"
)
# What the attached workbook holds besides the Anomalies sheet (write.feedback says which applies).
CONTENT_MARKED = (" Ce classeur reprend vos chiffres dans le modèle de la campagne ; les cellules à revoir y sont "
                  "surlignées (rouge : erreur, orange : avertissement).")
CONTENT_FIGURES = " Ce classeur reprend vos chiffres dans le modèle de la campagne."
CONTENT_BLANK = (" Vos chiffres n'ont pas pu être lus dans votre fichier : ce classeur contient le modèle de la "
                 "campagne établi pour votre société, à remplir.")
VERDICT_BLANK = ("Votre fichier n'a pas pu être pris en compte. Merci de saisir vos effectifs dans le classeur joint "
                 "et de nous le renvoyer avant le {date_limite:d}.")
VERDICT_ALONE = ("Votre fichier n'a pas pu être pris en compte. Merci de nous renvoyer avant le {date_limite:d} le "
                 "modèle de la campagne qui vous a été adressé, rempli et corrigé comme indiqué.")
VERDICT_REJECTED = ("Votre fichier n'a pas pu être pris en compte. Merci de corriger le classeur joint et de nous le "
                    "renvoyer avant le {date_limite:d}.")
VERDICT_WARNED = ("Votre fichier a bien été pris en compte. Merci de vérifier les points signalés et, si une "
                  "correction est nécessaire, de nous renvoyer le classeur joint corrigé avant le {date_limite:d}.")

REMINDER_NONE = "Aucune relance à faire : toutes les sociétés attendues ont un fichier accepté.\n"
REMINDER_LIST = "Sociétés à relancer :"
REMINDER_LINE = "- {societe} ({qui}) : {motif}"
REMINDER_NO_CONTACT = "contact à compléter dans le fichier de campagne"
REMINDER_REASONS = {
    "manquant": "aucun fichier reçu",
    "rejeté": "dernier fichier rejeté",
    "rejeté (soumission précédente retenue)": "dernier fichier rejeté (le précédent, accepté, est retenu)",
    "à départager (plusieurs fichiers)": "plusieurs fichiers reçus : lequel retenir ?",
}
REMINDER_TO = "Destinataires (en copie cachée) : {adresses}"
REMINDER_NO_ADDRESS = "(aucune adresse connue)"
REMINDER_SUBJECT = "Objet : relance — effectifs par métier — {libelle}"
REMINDER_BODY = (
    "Bonjour,\n\n"
    "Sauf erreur de notre part, nous n'avons pas encore de fichier exploitable de votre société pour la campagne "
    "« {libelle} » (effectifs permanents au {date_arrete:d}). La date limite de retour est fixée au "
    "{date_limite:d}.\n\n"
    "Si vous avez reçu de notre part un classeur d'anomalies, il suffit de le corriger et de nous le renvoyer ; "
    "sinon, merci de remplir le modèle qui vous a été adressé et de nous le retourner au format .xlsx ou .ods.\n\n"
    "Cordialement,\n"
    "{signature}"
)


def found(n_errors: int, n_warnings: int) -> tuple[str, str]:
    """("2 erreurs et 1 avertissement", "détaillés"): what the check found, and the past participle
    agreeing with it (masculine as soon as a warning is among them)."""
    parts = ([fr("{n:pl:erreur|erreurs}", n=n_errors)] if n_errors else []) + \
        ([fr("{n:pl:avertissement|avertissements}", n=n_warnings)] if n_warnings else [])
    participle = "détaillé" + ("" if n_warnings else "e") + ("s" if n_errors + n_warnings > 1 else "")
    return " et ".join(parts), participle


CONTENTS = ("marked", "figures", "blank", "alone")


def return_text(campaign, company: str, files: list[str], n_errors: int, n_warnings: int, sheet: str,
                content: str = "marked") -> str:
    """The cover text of a return-to-sender workbook. ``content``: what the workbook holds besides the
    Anomalies sheet — the figures read with cells highlighted ("marked") or none to highlight ("figures"),
    a blank template of the company ("blank"), or nothing ("alone")."""
    trouve, detaille = found(n_errors, n_warnings)
    if content in ("marked", "figures"):
        verdict = VERDICT_REJECTED if n_errors else VERDICT_WARNED
    else:
        verdict = VERDICT_BLANK if content == "blank" else VERDICT_ALONE
    contenu = {"marked": CONTENT_MARKED, "figures": CONTENT_FIGURES, "blank": CONTENT_BLANK}.get(content, "")
    return (fr(RETURN_SUBJECT, libelle=campaign.libelle, societe=company) + "\n\n"
            + fr(RETURN_BODY, noms=", ".join(f"« {f} »" for f in files), trouve=trouve, detaille=detaille,
                 feuille=sheet, contenu=contenu, verdict=fr(verdict, date_limite=campaign.date_limite),
                 signature="\n".join(campaign.contact_parts())))
