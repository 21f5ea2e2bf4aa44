"""The shared vocabularies, as enums. Their values are data (stored in frames and in the history);
what users read comes from the text catalogue (:mod:`pipeline.core.texts`)."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """What one entry of an input folder became."""

    ACCEPTED = "accepté"
    WARNED = "accepté avec avertissements"
    REJECTED = "rejeté"
    IGNORED = "ignoré"

    @property
    def accepted(self) -> bool:
        return self in (Status.ACCEPTED, Status.WARNED)


ACCEPTED_STATUSES = (Status.ACCEPTED, Status.WARNED)


class Severity(StrEnum):
    ERROR = "erreur"
    WARNING = "avertissement"
    INFO = "information"


class Level(StrEnum):
    """What a row of the template is, and the cell of the branch table it stands for (one vocabulary).

    emploi: an emploi rattaché of a métier split into several; metier; famille (its sub-total);
    groupe (total of a group of families); ventiles (total placed in a fiche métier); non_ventiles (NV);
    branche (ventilated + not ventilated); declare (the declared total of a company); ecart (declared −
    computed, in the template only).
    """

    EMPLOI = "emploi"
    METIER = "metier"
    FAMILLE = "famille"
    GROUPE = "groupe"
    VENTILES = "ventiles"
    NON_VENTILES = "non_ventiles"
    BRANCHE = "branche"
    DECLARE = "declare"
    ECART = "ecart"


TABLE_LEVELS = (Level.EMPLOI, Level.METIER, Level.FAMILLE, Level.GROUPE, Level.VENTILES, Level.NON_VENTILES,
                Level.BRANCHE)


class Role(StrEnum):
    """What a row of the template does: a heading, a figure to type, or a formula."""

    TITRE = "titre"
    SAISIE = "saisie"
    FORMULE = "formule"


class CompanyState(StrEnum):
    """Where a company stands in a campaign (the dashboard)."""

    ACCEPTED = "accepté"
    WARNED = "accepté avec avertissements"
    REJECTED = "rejeté"
    REJECTED_KEPT = "rejeté (soumission précédente retenue)"
    PENDING = "à départager (plusieurs fichiers)"
    MISSING = "manquant"


# The measure every campaign asks for, and the category of an undivided figure.
EFFECTIF = "effectif"
TOUT = "tout"


class Change(StrEnum):
    """How métiers of the previous nomenclature became those of the current one."""

    NEW = "nouveau"
    REMOVED = "supprimé"
    SAME = "identique"
    RENAMED = "renommé"
    SPLIT = "scindé"
    MERGED = "fusionné"
    REGROUPED = "regroupé"


class SecretReason(StrEnum):
    """Why a cell of the published edition is masked."""

    FREQUENCY = "primaire (fréquence)"
    DOMINANCE = "primaire (dominance)"
    P_RULE = "primaire (règle p %)"
    SECONDARY = "secondaire"
    UNPUBLISHED = "non publiée"  # by design: a crossed pair is published for families, groups and the branch


class Task(StrEnum):
    """What the secretariat settles itself rather than mailing it to a company."""

    SEVERAL_FILES = "plusieurs_fichiers"   # two files of one company in the input folder
    NO_COMPANY = "sans_societe"            # a file that is no return of a company of the campaign
    NO_ADDRESS = "sans_adresse"            # a company to write to, with no e-mail address
    BESIDE = "a_cote"                      # a file named as a company's template, beside that company's workbook
    NAMED_OTHER = "nom_autre"              # a company's template, under a name that names another company


class Reading(StrEnum):
    """How a form of the job-title assistant's table of abbreviations is read (its ``nature`` column)."""

    ABBREVIATION = "abréviation"   # read as its expansion, anywhere
    SYNONYM = "synonyme"           # read as another word (another language, another form of the word)
    SERVICE = "service"            # a department: read so after the title's first word, as context
    CONTEXT = "contexte"           # qualifies the job without naming it (bilingue, nuit): weighs little
    RANK = "rang"                  # seniority, level or status: ignored


class LexiconSource(StrEnum):
    """Where an entry of the job-title lexicon comes from."""

    STARTER = "départ"             # the starter lexicon shipped with the tool (proposals)
    REVIEW = "revue"               # a company's review, validated and turned into its template
    OBSERVATORY = "observatoire"   # the observatory's decision, loaded from the lexicon workbook


class LexiconStatus(StrEnum):
    VALID = "valide"
    WITHDRAWN = "retiré"


class ReviewState(StrEnum):
    """The secretary's review of a company's accepted submission (the web front), stored in the history."""

    VALIDATED = "validé"     # locked: a later upload waits until the secretary reopens it
    SENT_BACK = "renvoyé"    # sent back to the company with a comment
    REOPENED = "rouvert"


class WebEvent(StrEnum):
    """What the web front logs in the history."""

    LOGIN = "connexion"
    LOGIN_REFUSED = "connexion refusée"
    LOGOUT = "déconnexion"
    UPLOAD = "dépôt"
    UPLOAD_WAITING = "dépôt en attente"
    RECEIVED = "fichier reçu par courriel"
    LINK_REFUSED = "lien refusé"
    REVIEW = "revue"
