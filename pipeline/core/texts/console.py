"""What the ``effectifs`` command prints, and the messages of the problems a user can fix."""

from __future__ import annotations

# --- the job-title assistant -----------------------------------------------------------------------
EXPORT_MISSING = "Export introuvable : {chemin}"
EXPORT_UNREADABLE = "Export {nom} : classeur illisible"
EXPORT_FORMAT = "Export {nom} : format non reconnu"
EXPORT_FORMAT_HELP = "fournissez un fichier .xlsx ou .csv"
EXPORT_EMPTY = "Export {nom} : fichier vide"
EXPORT_NO_COLUMN = "Export {nom} : colonne « {colonne} » introuvable"
EXPORT_COLUMNS = "colonnes présentes : {colonnes}"
EXPORT_NO_TITLES = "Export {nom} : colonne des intitulés de poste introuvable"
EXPORT_NAME_IT = "nommez-la « Intitulé de poste » ou indiquez-la avec --colonne-intitule"
EXPORT_BAD_COUNTS = "Export {nom} : effectifs illisibles"
EXPORT_COUNT_UNREADABLE = "ligne {ligne} : effectif « {valeur} » illisible pour « {intitule} »"
EXPORT_COUNT_INVALID = "ligne {ligne} : effectif {valeur} pour « {intitule} » (un nombre entier de personnes)"

# --- the review workbook, back ---------------------------------------------------------------------
REVIEW_UNREADABLE = "Classeur de rapprochement illisible : {chemin}"
REVIEW_NOT_ONE = "{nom} n'est pas un classeur de rapprochement de la campagne {campagne}."
REVIEW_NO_SHEET = "{nom} : feuille « {feuille} » introuvable."
REVIEW_NO_HEADER = "{nom} : en-têtes du rapprochement introuvables (ligne {ligne})."
REVIEW_NO_CODE = "{ou} : « {intitule} » n'a pas de code retenu — choisissez un code ou NV"
REVIEW_UNKNOWN_CODE = "{ou} : code « {code} » inconnu pour « {intitule} » — choisissez un code de la feuille « {feuille} »"
REVIEW_BAD_COUNT = "{ou} : effectif « {valeur} » invalide pour « {intitule} »"
REVIEW_INCOMPLETE = "Rapprochement incomplet dans {nom} :"
REVIEW_COMMENT = "Intitulés : {intitules}"

# --- modeles ---------------------------------------------------------------------------------------
TEMPLATES_NO_PREVIOUS = ("Aucun chiffre accepté de la campagne {campagne} dans l'historique : pas de colonne de "
                         "rappel N−1.")
TEMPLATES_PREVIOUS = "Colonne de rappel N−1 : chiffres acceptés de la campagne {campagne}"
TEMPLATES_PREVIOUS_MISSING = " (aucun pour : {societes})."

# --- controler / consolider ------------------------------------------------------------------------
CHECK_SUMMARY = ("Campagne {campagne} : {elements:pl:élément|éléments} dans le dossier des retours — "
                 "{acceptes:pl:accepté|acceptés}, {avertis:pl:accepté avec avertissements|acceptés avec avertissements}, "
                 "{rejetes:pl:rejeté|rejetés}, {ignores:pl:ignoré|ignorés}.")
CHECK_ACCEPTED = "Sociétés acceptées : {acceptees} sur {attendues}."
CHECK_WHO = " ({societe})"
CHECK_FILE = "  [{statut}] {fichier}{qui}"
CHECK_MESSAGE = "      - {gravite}{ou} : {message}"
CHECK_MISSING = "Sociétés sans retour : {societes}."
HISTORY = ("Historique : {nouvelles:pl:nouvelle soumission|nouvelles soumissions}, {connues:pl:déjà connue|déjà "
           "connues}. Sociétés retenues (dernière soumission acceptée) : {retenues} sur {attendues}.")
OUT_CONTROL = "Rapport de contrôle"
OUT_RETURNS = "Classeurs à renvoyer aux sociétés ({n}, avec le texte du courriel)"
OUT_CONSOLIDATION = "Consolidation"
OUT_DIFFUSION = "Édition publiée"
OUT_OPENDATA = "Données ouvertes (CSV et description datapackage.json)"
OUTPUT_LINE = "{libelle} : {chemin}"
NOTHING_ACCEPTED = ("Aucun retour accepté : rien à consolider. Le rapport de contrôle indique les corrections à "
                    "demander.")
PROGRESS_READING = "Lecture des retours"
PROGRESS_WRITING = "Écriture des modèles"

# --- status ----------------------------------------------------------------------------------------
STATUS_HEAD = "Campagne {campagne} — date limite {date:d}"
STATUS_COLUMNS = ["Société", "Statut", "Fichiers", "Dernier reçu", "En retard"]
STATUS_CONTACT = "Contact"
STATUS_TABLE = "Tableau de suivi : {chemin}"
STATUS_REMINDERS = "Texte des relances : {chemin}"
YES = "oui"
NO = "non"

# --- modeles, nouvelle-campagne, nomenclature -------------------------------------------------------
TEMPLATES_WRITTEN = "{n:pl:modèle écrit|modèles écrits} dans {dossier} :"
TEMPLATES_NEXT = "Envoyez chaque fichier à sa société ; déposez les retours dans {dossier}."
CAMPAIGN_CREATED = "Fichier de campagne créé : {chemin}"
CAMPAIGN_NEXT = "Vérifiez-y les dates, le contact et la liste des sociétés, puis lancez : effectifs modeles -c {id}"
NOMENCLATURE_EXPORTED = "Nomenclature exportée : {chemin}"
NOMENCLATURE_EXPORT_FORMAT = "Indiquez un fichier d'export se terminant par .xlsx ou .csv."
NOMENCLATURE_SOURCE = "Nomenclature : {source}"
NOMENCLATURE_SIZE = ("Empreinte : {empreinte} — {familles:pl:famille|familles}, {metiers:pl:métier|métiers}, "
                     "{lignes:pl:ligne|lignes} à remplir par société.")

# --- suggest / remplir -----------------------------------------------------------------------------
EVALUATION_SET = "Jeu d'évaluation : {titres} intitulés ({ecartes} écartés car identiques pour deux métiers)."
EVALUATION_FLAGGED = "Signalés pour décision humaine : {signales} ({taux:%1})."
EVALUATION_CONFIDENT = "Sur les propositions confiantes : top-1 {top1:%1}, top-3 {top3:%1}, erreurs {erreurs:%1}."
EVALUATION_SOURCE = "  {source} : {n} intitulés, {signales:%1} signalés, top-1 {top1:%1} sur les confiants"
SUGGEST_NEEDS = "Indiquez l'export et la société : effectifs suggest EXPORT --societe IDENTIFIANT"
SUGGEST_UNKNOWN = "Société « {societe} » inconnue dans la campagne {campagne}."
SUGGEST_DONE = ("{n:pl:intitulé distinct|intitulés distincts}, {personnes:pl:personne|personnes} : "
                "{confiants:pl:proposition confiante|propositions confiantes}, {a_decider} à décider.")
SUGGEST_PATH = "Classeur de rapprochement : {chemin}"
SUGGEST_NEXT = "Après vérification : effectifs remplir {chemin}"
FILLED = "Modèle rempli : {chemin} — {personnes:pl:personne|personnes} ; contrôle : {statut}."
FILLED_MESSAGE = "  - {gravite} {feuille}!{cellule} : {message}"

# --- demo -----------------------------------------------------------------------------------------
DEMO_HEAD = "Campagne de démonstration {campagne} (répartition fictive par société des effectifs publiés en 2007)."
DEMO_TEMPLATES = "  modèles vierges ({n})            : {dossier}"
DEMO_RETURNS = "  retours d'exemple remplis ({n})  : {dossier}"
DEMO_CHECK = "  contrôle : {acceptees:pl:société acceptée|sociétés acceptées} sur {attendues} — {chemin}"
DEMO_CONSOLIDATION = ("  consolidation : {branche:pl:personne|personnes} dans la branche, dont {nv} non ventilées — "
                      "{chemin}")
DEMO_DIFFUSION = ("  édition publiée (secret statistique, {masquees:pl:cellule masquée|cellules masquées}) : "
                  "{chemin}")
DEMO_TIME = "Terminé en {secondes} s."

# --- errors ---------------------------------------------------------------------------------------
ERROR = "Erreur : {message}"
INTERNAL = "Erreur interne inattendue ({type} : {message})."
INTERNAL_HELP = "Relancez avec « effectifs --debug … » et transmettez le message complet à l'équipe technique."

# --- the help of the command (``effectifs --help``, ``effectifs COMMANDE --help``) -------------------
HELP_OPTION = "Afficher cette aide et quitter."
USAGE = "Utilisation : "
OPTIONS = "Options"
COMMANDS = "Commandes"
HELP_MAIN = """Campagnes d'actualisation des effectifs par métier de la branche Assistance.

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
2 commande mal tapée ; 3 problème de configuration ; 4 erreur interne."""
HELP = {
    "racine": ("Dossier contenant templates_xlsx/, inputs/ et outputs/ (par défaut : $EFFECTIFS_RACINE, sinon le "
               "dossier courant)."),
    "base": "Base d'historique SQLite (par défaut : $EFFECTIFS_BASE, sinon outputs/historique.sqlite).",
    "debug": "Afficher le détail technique des erreurs internes.",
    "version": "Afficher la version et quitter.",
    "campagne": ("Identifiant de la campagne (fichier campagnes/ID.toml) ou chemin d'un fichier .toml (par défaut : "
                 "$EFFECTIFS_CAMPAGNE, sinon 2007)."),
    "json": "Écrire un résumé JSON sur la sortie standard.",
    "nomenclature": "Afficher, vérifier ou exporter la nomenclature des métiers.",
    "nomenclature.short": "Afficher, vérifier ou exporter la nomenclature.",
    "export": "Exporter la nomenclature dans un fichier .xlsx ou .csv.",
    "dossier": ("Vérifier la nomenclature de ce dossier (familles.csv, metiers.csv) au lieu de celle de la "
                "campagne."),
    "nouvelle-campagne": "Créer le fichier de campagne campagnes/IDENTIFIANT.toml, à compléter.",
    "nouvelle-campagne.short": "Créer un fichier de campagne à compléter.",
    "depuis": "Campagne dont reprendre les sociétés et le contact (par défaut : 2007).",
    "date-arrete": "Date d'arrêté des effectifs (AAAA-MM-JJ).",
    "date-limite": "Date limite de retour (AAAA-MM-JJ).",
    "libelle": "Libellé de la campagne.",
    "modeles": "Écrire un classeur à remplir par société (templates_xlsx/CAMPAGNE/).",
    "modeles.short": "Écrire les modèles à remplir, un par société.",
    "controler": "Contrôler les retours déposés dans inputs/CAMPAGNE/ (rapport outputs/CAMPAGNE/controle.xlsx).",
    "controler.short": "Contrôler les retours des sociétés.",
    "consolider": ("Contrôler les retours puis écrire le tableau de la branche (outputs/CAMPAGNE/consolidation.xlsx), "
                   "l'édition publiée (outputs/CAMPAGNE/diffusion.xlsx) et ses données ouvertes (diffusion.csv, "
                   "metiers.csv et leur description datapackage.json, dans le même dossier)."),
    "consolider.short": "Contrôler puis consolider les retours.",
    "status": """Suivi de la campagne : par société, fichiers reçus, statut, retard, contact ; liste des relances.

Écrit outputs/CAMPAGNE/suivi.xlsx (à transmettre à l'Observatoire) et outputs/CAMPAGNE/relances.txt
(texte du courriel de relance).""",
    "status.short": "Où en est la campagne : suivi par société et relances.",
    "au": "Date du jour pour le calcul des retards (AAAA-MM-JJ ; par défaut : aujourd'hui).",
    "suggest": """Rapprocher les intitulés de poste d'un export RH (.xlsx ou .csv) des métiers de la branche.

Écrit un classeur de rapprochement à faire vérifier par la société (colonne « Code retenu »), puis
« effectifs remplir » en fait le modèle rempli.""",
    "suggest.short": "Proposer un métier pour chaque intitulé de poste d'une société.",
    "societe": "Identifiant de la société (voir le fichier de campagne).",
    "colonne-intitule": "Nom de la colonne des intitulés de poste dans l'export.",
    "colonne-effectif": "Nom de la colonne des effectifs (sans elle : une ligne par salarié).",
    "sortie-revue": "Classeur de rapprochement à écrire.",
    "evaluer": "Mesurer la justesse des propositions sur le jeu d'évaluation.",
    "remplir": "Additionner les effectifs par code retenu et écrire le modèle rempli de la société, contrôlé comme un "
               "retour.",
    "remplir.short": "Faire du rapprochement vérifié le modèle rempli de la société.",
    "sortie-modele": "Modèle rempli à écrire.",
    "demo": "Dérouler la campagne 2007 de démonstration : modèles, retours d'exemple, contrôle, consolidation.",
    "demo.short": "Dérouler la campagne 2007 de démonstration.",
}

# --- the input folder ---------------------------------------------------------------------------------
INPUTS_MISSING = "Dossier des retours introuvable : {dossier}"
INPUTS_MISSING_HELP = "déposez-y les classeurs renvoyés par les sociétés, puis relancez la commande"
NOTHING_TO_CONSOLIDATE = "Aucun retour accepté : rien à consolider."
NOTHING_TO_CONSOLIDATE_HELP = "consultez le rapport de contrôle (controle.xlsx) pour les corrections à demander"
