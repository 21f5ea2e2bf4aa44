"""What users read about the job-title assistant: why a métier is proposed, what is left to decide, the
lexicon workbook, and the assistant's data files."""

from __future__ import annotations

# --- the assistant's data files (pipeline/data/) --------------------------------------------------
ABBREVIATIONS_WHAT = "Table des abréviations des intitulés"
STARTER_WHAT = "Lexique de départ des intitulés"
EVALUATION_WHAT = "Jeu d'évaluation des intitulés"
DATA_INVALID = "Le fichier {chemin} contient des erreurs :"
DATA_EMPTY = "{fichier}, ligne {ligne} : colonne « {colonne} » vide"
DATA_NATURE = "{fichier}, ligne {ligne} : nature « {nature} » inconnue (attendu : {natures})"
DATA_CODE = ("{fichier}, ligne {ligne} : code « {code} » inconnu — un code de ligne du modèle (0102, 0101-1…) "
             "ou NV")

# --- a proposal: why, and what is left to decide ---------------------------------------------------
NOT_VENTILATED_TITLE = "Non ventilé dans une fiche métier"
# Where an evidence comes from, in the « Pourquoi » column.
SOURCE_TITLE = "intitulé de la nomenclature"
SOURCE_OTHER = "autre dénomination de la nomenclature"
SOURCE_STARTER = "lexique de départ, à confirmer"
SOURCE_OBSERVATORY = "validé par l'Observatoire"
SOURCE_VALIDATED = "validé par {n:pl:société|sociétés} en {campagnes}"
SOURCE_NV = "fonction de direction"
AND = " et "
EXACT = "intitulé identique à « {libelle} » ({source})"
NEAR = "mots reconnus : {mots} — comme « {libelle} » ({source})"
ACTIVITIES = "mots des activités du métier : {mots}"
TAUGHT = "appris des intitulés validés pour ce métier : {mots}"
READ_AS = "lu : {lectures}"
READ_ONE = "{forme} = {lecture}"
WORDS = "« {mot} »"
# The « À vérifier » column: empty when the proposal is confident.
MATCH_NONE = "aucun mot reconnu : choisissez un code, ou NV (non ventilé)"
MATCH_WEAK = "rapprochement faible : vérifiez, ou choisissez un autre code ou NV"
MATCH_GENERIC = "seul un mot trop général rapproche cet intitulé ({mots}) : précisez le métier"
MATCH_ACTIVITIES = "indice faible (activités du métier seulement) : vérifiez"
MATCH_AMBIGUOUS = "hésitation avec {code} {titre}"
ALTERNATIVE = "{cle} {titre} ({part:%})"
# The emploi of a métier split into several, when « Code retenu » names the métier only.
EMPLOI_UNSETTLED = "{ou} : le métier {code} est divisé — précisez {choix} pour « {intitule} »"
EMPLOI_CHOICE = "{cle} ({emploi})"
EMPLOI_OR = " ou "

# --- the review workbook --------------------------------------------------------------------------
SHEET_REVIEW = "Rapprochement"
SHEET_CODES = "Codes"
REVIEW_HEADINGS = ["Intitulé de poste", "Effectif", "Code proposé", "Métier proposé", "Confiance",
                   "Pourquoi cette proposition", "À vérifier", "Autres possibilités", "Code retenu", "Commentaire"]
REVIEW_WORKBOOK_TITLE = "Rapprochement des intitulés — {societe}"
REVIEW_HEADING = "Rapprochement des intitulés de poste — {societe}"
REVIEW_HELP = ("Indiquez dans « Code retenu » le code de chaque intitulé (ou NV pour les effectifs non ventilés). "
               "Il n'est pré-rempli que là où la preuve est forte (intitulé déjà validé, ou identique à la "
               "nomenclature) : vérifiez-le. Ailleurs, lisez « Pourquoi cette proposition », puis recopiez le code "
               "proposé ou choisissez-en un autre ; les lignes orange sont à décider.")
REVIEW_CODES_HELP = ("Campagne {campagne} — la liste des codes est dans la feuille « {feuille} » ; « 103 » vaut "
                     "0103, et pour un métier divisé (0101) précisez l'emploi (0101-1 ou 0101-2).")
REVIEW_CODES_HEADINGS = ["Code", "Métier", "Emploi rattaché"]
REVIEW_VALIDATION_TITLE = "Code à vérifier"
REVIEW_VALIDATION = ("Ce code n'est pas dans la liste (feuille « Codes »). Il sera accepté s'il désigne un code "
                     "connu (103 pour 0103) ; sinon choisissez un code de la liste, ou NV.")
REVIEW_LEGEND = ["Code retenu pré-rempli : preuve forte, à vérifier d'un coup d'œil",
                 "Proposition à confirmer : recopiez le code, ou choisissez-en un autre",
                 "À décider : pas de proposition sûre"]

# --- the lexicon workbook -------------------------------------------------------------------------
SHEET_LEXICON = "Lexique"
LEXICON_WORKBOOK_TITLE = "Lexique des intitulés de poste"
LEXICON_HEADING = "Lexique des intitulés de poste — relecture par l'Observatoire"
LEXICON_HELP = ("Chaque ligne rattache un intitulé à un code. Pour corriger, changez le « Code » ; pour retirer une "
                "ligne, choisissez « supprimer » dans « Décision » ; pour ajouter un intitulé, écrivez-le avec son code "
                "sous la dernière ligne. Puis : effectifs lexique --charger {fichier}")
LEXICON_HEADINGS = ["Intitulé", "Code", "Métier", "Source", "Sociétés", "Campagnes", "Code d'origine", "Décision"]
LEXICON_SOURCES = {"départ": "lexique de départ (proposition)", "revue": "validé par les sociétés",
                   "observatoire": "Observatoire"}
DECISION_KEEP = "garder"
DECISION_DELETE = "supprimer"
LEXICON_VALIDATION = "Choisissez « garder » ou « supprimer »."
LEXICON_CODE_VALIDATION = "Choisissez un code de la nomenclature (feuille « Codes » du rapprochement), ou NV."
