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
EXPORT_BAD_LINES = "Export {nom} : {n:pl:ligne à corriger|lignes à corriger}"
EXPORT_COUNT_UNREADABLE = "ligne {ligne} : effectif « {valeur:v} » illisible pour « {intitule} »"
EXPORT_COUNT_MISSING = "ligne {ligne} : effectif manquant pour « {intitule} »"
EXPORT_NO_TITLE = ("ligne {ligne} : {personnes:pl:personne|personnes} sans intitulé de poste — écrivez l'intitulé, "
                   "ou retirez la ligne si {personnes:w:cette personne n'est|ces personnes ne sont} pas à compter")
EXPORT_NO_DATA = "Export {nom} : aucun intitulé de poste sous l'en-tête (ligne {ligne})"
EXPORT_NO_DATA_HELP = ("l'export doit compter une ligne par intitulé de poste, avec son effectif, ou une ligne par "
                       "salarié, sous la ligne d'en-tête")
EXPORT_TOTAL_LEFT = "ligne {ligne} « {intitule} » laissée de côté : c'est un total"
EXPORT_TOTAL_LEFT_COUNT = "ligne {ligne} « {intitule} » ({valeur:v}) laissée de côté : c'est un total"
EXPORT_TOTAL_DIFFERS = " ; il diffère de la somme des autres lignes ({somme:n})"
EXPORT_NOTE = "Export {nom} : {note}"
EXPORT_HEADER_WHERE = ("l'en-tête (la ligne des noms de colonnes) est cherché dans les {n} premières lignes non vides "
                       "de chaque feuille")
EXPORT_HEADER_AT = ("en-tête lu à la ligne {ligne}{feuille} : {n:w:la ligne|les lignes} au-dessus {n:w:est laissée|"
                    "sont laissées} de côté")
EXPORT_HEADER_SHEET = " de la feuille « {feuille} »"
EXPORT_OTHER_SHEETS = ("seule la feuille « {feuille} » est lue ; {n:w:autre feuille laissée|autres feuilles laissées} "
                       "de côté : {feuilles}")
EXPORT_NUMBERS_UNNAMED = ("Export {nom} : la colonne « {colonne} » contient des nombres, mais son nom ne dit pas "
                          "que c'est l'effectif")
EXPORT_NUMBERS_UNTITLED = "Export {nom} : la colonne n° {n}, sans nom, contient des nombres"
EXPORT_USE_COLUMN = ("si elle donne le nombre de personnes de chaque intitulé : relancez la commande avec "
                     "--colonne-effectif {colonne:a}")
EXPORT_NAME_COUNT = "si elle donne le nombre de personnes de chaque intitulé : nommez-la « Effectif » dans l'export"
EXPORT_USE_PER_EMPLOYEE = ("si l'export compte une ligne par salarié (ses nombres sont autre chose : âge, salaire…) : "
                           "relancez la commande avec --par-salarie, chaque ligne comptera une personne")
EXPORT_FTE = ("Export {nom} : la colonne « {colonne} » donne des équivalents temps plein (ETP), pas des personnes : "
              "l'effectif se compte en personnes")
EXPORT_FTE_HELP = ("ajoutez à l'export une colonne du nombre de personnes de chaque intitulé, nommée « Effectif » "
                   "(ou indiquée avec --colonne-effectif)")
EXPORT_FTE_PER_EMPLOYEE = ("si l'export compte une ligne par salarié (la colonne donne son temps de travail) : "
                           "relancez la commande avec --par-salarie, chaque ligne comptera une personne")
EXPORT_COUNT_AMBIGUOUS = "Export {nom} : plusieurs colonnes peuvent donner l'effectif : {colonnes}"
EXPORT_COUNT_CHOOSE = "indiquez celle du nombre de personnes avec --colonne-effectif \"…\""
EXPORT_PER_EMPLOYEE_AND_COUNT = ("--par-salarie et --colonne-effectif s'excluent : avec une ligne par salarié, "
                                 "chaque ligne compte une personne")
EXPORT_COUNT_INVALID = "ligne {ligne} : effectif {valeur:v} pour « {intitule} » (un nombre entier de personnes)"

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
NOT_READY = "Le fichier de campagne {chemin} n'est pas prêt pour l'envoi aux sociétés :"
NOT_READY_HELP = ("complétez-le, puis relancez la commande (ou ajoutez --forcer pour produire quand même les "
                  "modèles, par exemple pour les essayer)")
TEMPLATES_NO_PREVIOUS = ("Aucun chiffre retenu de la campagne {campagne} dans l'historique : pas de colonne de "
                         "rappel N−1.")
TEMPLATES_PREVIOUS = "Colonne de rappel N−1 : chiffres retenus de la campagne {campagne}"
TEMPLATES_PREVIOUS_MISSING = " (aucun pour : {societes}, que la dernière consolidation de cette campagne ne compte pas)."

# --- controler / consolider ------------------------------------------------------------------------
CHECK_SUMMARY = ("Campagne {campagne} : {elements:pl:élément|éléments} dans le dossier des retours — "
                 "{acceptes:pl:accepté|acceptés}, {avertis:pl:accepté avec avertissements|acceptés avec avertissements}, "
                 "{rejetes:pl:rejeté|rejetés}, {ignores:pl:ignoré|ignorés}.")
CHECK_ACCEPTED = "Sociétés acceptées dans le dossier : {acceptees} sur {attendues}."
CHECK_WHO = " ({societe})"
CHECK_FILE = "  [{statut}] {fichier}{qui}"
CHECK_MESSAGE = "      - {gravite}{ou} : {message}"
CHECK_MISSING = "Sociétés sans retour : {societes}."
CHECK_KEPT = ("Sociétés retenues sans fichier dans le dossier (leur dernier fichier accepté compte toujours) : "
              "{societes}.")
CHECK_KEPT_ONE = "{societe} ({fichier}, reçu le {recu:dt})"
TASKS_HEAD = "À régler par le secrétariat (rien n'est envoyé aux sociétés pour ces points) :"
TASK_LINE = "  - {quoi} : {action}"
TASKS_MORE = "  … et {n:pl:autre point|autres points} : voir la feuille « {feuille} » du rapport de contrôle."
HISTORY = ("Historique : {nouvelles:pl:nouveau fichier|nouveaux fichiers}, {connues:pl:déjà connu|déjà connus}"
           "{attente}. Sociétés retenues (dernière soumission acceptée) : {retenues} sur {attendues}.")
HISTORY_PENDING = ", {n:pl:fichier en attente|fichiers en attente} (plusieurs fichiers pour une même société)"
CONSOLIDATED = ("Branche consolidée : {societes:pl:société|sociétés} sur {attendues}, {branche:pl:personne|personnes}, "
                "dont {nv:n} non {nv:w:ventilée|ventilées} ; édition publiée sous secret statistique : "
                "{masquees:pl:cellule masquée|cellules masquées}{repartitions}.")
# When the edition has breakdowns, the cells they mask besides the main table's (the « Secret » sheet's total).
MASKED_IN_ALL = " dans le tableau principal, {n:n} en tout avec les répartitions"
CONSOLIDATED_PARTIAL = ("Attention : consolidation partielle, sans {n:w:la société|les sociétés} {noms}, faute de "
                        "soumission acceptée. Les effectifs, l'édition publiée et leur évolution depuis la campagne "
                        "précédente ne comptent que les sociétés retenues : ne publiez rien avant d'avoir tous les "
                        "retours.")
OUT_CONTROL = "Rapport de contrôle"
OUT_RETURNS = ("Classeurs à renvoyer aux sociétés ({n}), chacun avec son courriel prêt à envoyer (.eml) et son "
               "texte (.txt)")
OUT_CONSOLIDATION = "Consolidation"
OUT_DIFFUSION = "Édition publiée"
OUT_OPENDATA = "Données ouvertes (CSV et description datapackage.json)"
OUTPUT_LINE = "{libelle} : {chemin}"
NOTHING_RECEIVED = ("Aucun fichier reçu pour l'instant : déposez les classeurs renvoyés par les sociétés dans {dossier}, "
                    "puis relancez la commande.")
NOTHING_ACCEPTED = ("Aucun retour accepté : rien à consolider. Le rapport de contrôle indique les corrections à "
                    "demander.")
PROGRESS_READING = "Lecture des retours"
PROGRESS_WRITING = "Écriture des modèles"

# --- status ----------------------------------------------------------------------------------------
STATUS_HEAD = "Campagne {campagne} — date limite {date:d}"
STATUS_COLUMNS = ["Société", "Statut", "Fichiers", "Dernier reçu", "En retard"]
STATUS_CONTACT = "Contact"
STATUS_TABLE = "Tableau de suivi : {chemin}"
STATUS_REMINDERS = "Relances (liste et texte de chaque courriel) : {chemin}"
STATUS_DRAFTS = "Courriels de relance prêts à envoyer (.eml, à ouvrir avec Outlook ou Thunderbird) : {chemin}"
YES = "oui"
NO = "non"

# --- modeles, nouvelle-campagne, nomenclature -------------------------------------------------------
TEMPLATES_FOLDER = "Modèles de la campagne {campagne} : {dossier}"
TEMPLATES_NEW = "  {n:pl:modèle nouveau|modèles nouveaux}, à envoyer :"
TEMPLATES_CHANGED = "  {n:pl:modèle modifié|modèles modifiés}, à envoyer de nouveau :"
TEMPLATES_UNCHANGED = "  {n:pl:modèle inchangé|modèles inchangés}, non {n:w:réécrit|réécrits} : {societes}"
TEMPLATES_RETIRED = "  {n:pl:ancien modèle déplacé|anciens modèles déplacés} dans {dossier} :"
TEMPLATE_LINE = "    {societe} — {fichier}"
TEMPLATE_LINE_WHY = "    {societe} — {fichier} ({motifs})"
# Why a template changed: the property of the template that differs (see pipeline.write.refresh).
TEMPLATE_REASONS = {
    "raison_sociale": "raison sociale, auparavant « {avant} »", "libelle": "libellé de la campagne",
    "date_arrete": "date d'arrêté", "date_limite": "date limite", "contact": "contact", "nomenclature": "nomenclature",
    "rappel_n1": "chiffres N−1", "format": "format du modèle", "saisie": "répartitions ou ETP demandés",
}
TEMPLATE_LAYOUT = "présentation du modèle"
TEMPLATE_REMOVED = "société retirée du fichier de campagne"
TEMPLATE_RENAMED = "identifiant changé en « {nouveau} »"
TEMPLATES_NOTHING_TO_SEND = "Aucun modèle nouveau ou modifié : rien à envoyer."
TEMPLATES_DRAFTS = ("Courriels d'envoi prêts, un par société avec son modèle en pièce jointe (.eml, à ouvrir avec "
                   "Outlook ou Thunderbird) : {dossier}")
TEMPLATES_NEW_NOMENCLATURE = (
    "Attention : ces modèles portent une nouvelle version de la nomenclature, alors que le dossier des retours contient "
    "déjà {fichiers:pl:classeur|classeurs} : un classeur établi avec l'ancienne version sera refusé au prochain "
    "contrôle (ses chiffres déjà acceptés restent comptés si les codes de ligne n'ont pas changé ; sinon la "
    "consolidation est refusée jusqu'à son nouvel envoi). Envoyez les nouveaux modèles aux sociétés qui ont déjà "
    "répondu, pour qu'elles y recopient leurs effectifs.")
TEMPLATES_NO_EMAIL = ("Attention : pas d'adresse e-mail dans le fichier de campagne pour {n:w:la société|les sociétés} "
                      "{societes} : {n:w:son courriel d'envoi est|leurs courriels d'envoi sont} sans destinataire. "
                      "Complétez « email » sous [[societes]] dans {chemin}, ou saisissez l'adresse dans le courriel.")
TEMPLATES_NEXT = ("Envoyez les courriels des modèles nouveaux ou modifiés ; déposez les fichiers reçus en retour dans "
                  "{dossier}.")
CAMPAIGN_CREATED = "Fichier de campagne créé : {chemin}"
CAMPAIGN_CREATED_WHAT = ("Campagne {id} : effectifs au {date_arrete:d}, retours attendus avant le {date_limite:d}, "
                         "{societes:pl:société|sociétés}{depuis}.")
CAMPAIGN_CREATED_FROM = (", {n:w:reprise|reprises} de la campagne {precedente}, qui sera la campagne "
                         "précédente (colonne « Rappel » des modèles, évolution)")
CAMPAIGN_TO_COMPLETE = "À compléter dans ce fichier avant d'envoyer les modèles :"
CAMPAIGN_NEXT = "Vérifiez-y les dates, le contact et la liste des sociétés, puis lancez : effectifs modeles -c {id}"
NOMENCLATURE_EXPORTED = "Nomenclature exportée : {chemin}"
NOMENCLATURE_COPIED = ("Nomenclature copiée dans {dossier} (familles.csv, metiers.csv, correspondances.csv à "
                       "remplir). Modifiez-la, vérifiez-la avec : effectifs nomenclature --dossier {dossier:a}")
NOMENCLATURE_USE = ("puis indiquez dans le fichier de campagne : nomenclature = \"{chemin}\" (chemin relatif au "
                    "fichier de campagne)")
NOMENCLATURE_EXPORT_FORMAT = "Indiquez un fichier d'export se terminant par .xlsx ou .csv."
NOMENCLATURE_SOURCE = "Nomenclature : {source}"
NOMENCLATURE_CHANGES = "\n{titre} — ce que le « Mode d'emploi » des modèles dira aux RH :"
NOMENCLATURE_SIZE = ("Empreinte : {empreinte} — {familles:pl:famille|familles}, {metiers:pl:métier|métiers}, "
                     "{lignes:pl:ligne|lignes} à remplir par société.")

# --- suggest / remplir / lexique -----------------------------------------------------------------------
EVALUATION_HEAD = ("Jeu d'évaluation : {titres} intitulés écrits comme les sortent les systèmes RH de {societes} "
                   "sociétés fictives (pipeline/data/evaluation_intitules_rh.csv).")
EVALUATION_STEP = ("  {etape:<44} {confiants:%1} confiants, dont {justes:%1} justes ; faux confiants : {erreurs:%1} "
                   "des intitulés ; pré-remplis : {preremplis:%1} ({faux} faux)")
EVALUATION_STEPS = {"nomenclature": "nomenclature seule :", "abreviations": "+ table des abréviations :",
                    "lexique": "+ lexique de départ (l'outil livré) :"}
EVALUATION_TARGETS = "Cibles : ≥ 70 % confiants, ≥ 95 % justes parmi eux, ≤ 2 % de faux confiants."
EVALUATION_LEARNING = ("Apprentissage (revue d'une société validée, puis intitulés d'une autre), {paires} paires : "
                       "{confiants:%1} confiants en moyenne (avant : {avant:%1}), de {minimum:%0} à {maximum:%0} ; "
                       "{justes:%1} justes parmi eux. Cible : ≥ 85 % confiants.")
EVALUATION_PAIR = "  {validee} validée → {evaluee} : {confiants:%0} confiants (avant {avant:%0}), {justes:%0} justes"
EVALUATION_CUMULATIVE = ("Apprentissage cumulé (revues des {autres} autres sociétés validées, puis intitulés "
                         "de la dernière), {n} sociétés : {confiants:%1} confiants en moyenne "
                         "(avant : {avant:%1}), de {minimum:%0} à {maximum:%0} ; {justes:%1} justes parmi eux.")
EVALUATION_CONTROL = ("Jeu de contrôle, écrit après le réglage ({n} intitulés, evaluation_intitules_rh_controle.csv) : "
                      "{confiants:%1} confiants, dont {justes:%1} justes ; faux confiants : {erreurs:%1} ; "
                      "pré-remplis : {preremplis:%1} ({faux} faux).")
EVALUATION_VARIANTS = ("Non-régression (intitulés rédigés comme la nomenclature, {n}) : {confiants:%1} confiants, "
                       "{justes:%1} justes.")
SUGGEST_NEEDS = "Indiquez l'export et la société : effectifs rapprocher EXPORT --societe IDENTIFIANT"
SUGGEST_UNKNOWN = "Société « {societe} » inconnue dans la campagne {campagne}."
SUGGEST_DONE = ("{n:pl:intitulé distinct|intitulés distincts}, {personnes:pl:personne|personnes} : "
                "{prerempli:pl:code pré-rempli|codes pré-remplis} (preuve forte), {confiants:pl:autre proposition "
                "confiante|autres propositions confiantes} à confirmer, {a_decider} à décider.")
SUGGEST_PATH = "Classeur de rapprochement : {chemin}"
SUGGEST_NEXT = "Après vérification : effectifs remplir {chemin}"
FILLED = "Modèle rempli : {chemin} — {personnes:pl:personne|personnes} ; contrôle : {statut}."
FILLED_MESSAGE = "  - {gravite} {feuille}!{cellule} : {message}"
FILLED_LEARNED = "Lexique : {n:pl:intitulé confirmé enregistré|intitulés confirmés enregistrés} pour {societe}."
FILLED_NOT_LEARNED = "Lexique : rien d'enregistré tant que le modèle rempli est rejeté."
LEXICON_SUMMARY = ("Lexique des intitulés : {n:pl:entrée|entrées} — {depart} du lexique de départ, {valides} "
                   "{valides:w:validée|validées} par au moins une société, {observatoire} de l'Observatoire (une "
                   "même entrée peut compter dans plusieurs de ces nombres).")
LEXICON_EXPORTED = "Lexique exporté : {chemin} — relisez-le, puis : effectifs lexique --charger {chemin}"
LEXICON_LOADED = ("Lexique chargé depuis {nom} : {ajouts:pl:intitulé placé|intitulés placés} (ajouts ou "
                  "corrections), {retraits:pl:ligne retirée|lignes retirées}.")
LEXICON_NOT_ONE = "{nom} n'est pas un classeur de lexique exporté par « effectifs lexique --export »."
LEXICON_BAD_DECISION = "{ou} : décision « {valeur} » pour « {intitule} » — choisissez « garder » ou « supprimer »"
LEXICON_INCOMPLETE = "Lexique non chargé, à corriger dans {nom} :"
LEXICON_EXPORT_FORMAT = "Indiquez un classeur se terminant par .xlsx."
LEXICON_ONE_ACTION = "Choisissez --export ou --charger, pas les deux."

# --- demo -----------------------------------------------------------------------------------------
DEMO_HEAD = "Campagne de démonstration {campagne} (répartition fictive par société des effectifs publiés en 2007)."
DEMO_TEMPLATES = "  modèles vierges ({n})            : {dossier}"
DEMO_RETURNS = "  retours d'exemple remplis ({n})  : {dossier}"
DEMO_CHECK = "  contrôle : {acceptees:pl:société acceptée|sociétés acceptées} sur {attendues} — {chemin}"
DEMO_CONSOLIDATION = ("  consolidation : {branche:pl:personne|personnes} dans la branche, dont {nv} non ventilées — "
                      "{chemin}")
DEMO_DIFFUSION = ("  édition publiée (secret statistique, {masquees:pl:cellule masquée|cellules masquées}"
                  "{repartitions}) : {chemin}")
DEMO_TIME = "Terminé en {secondes} s."
DEMO_BREAKDOWNS = ("Seconde campagne, fictive, {campagne} : toutes les répartitions (sexe, âge, contrat, statut, "
                   "temps de travail, pyramide des âges) et les ETP, {acceptees:pl:société acceptée|sociétés "
                   "acceptées} — {chemin}")
DEMO_BREAKDOWNS_DIFFUSION = ("  son édition publiée, répartitions comprises sous secret statistique "
                             "({masquees:pl:cellule masquée|cellules masquées}{repartitions}) : {chemin}")

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
  à tout moment : effectifs suivi -c 2026 où en est chaque société, qui relancer

« effectifs demo » déroule une campagne de démonstration (2007, chiffres fictifs) dans le dossier
demo/, à part des vraies campagnes.

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
                 "$EFFECTIFS_CAMPAGNE, sinon la campagne la plus récente du dossier campagnes/)."),
    "forcer": ("Produire les modèles même si le fichier de campagne a des contacts à compléter ou une date limite "
               "passée (pour les essayer)."),
    "json": "Écrire un résumé JSON sur la sortie standard.",
    "nomenclature": "Afficher, vérifier ou exporter la nomenclature des métiers.",
    "nomenclature.short": "Afficher, vérifier ou exporter la nomenclature.",
    "export": "Exporter la nomenclature dans un fichier .xlsx ou .csv, pour la lire.",
    "copier": ("Copier la nomenclature (fichiers CSV) dans un nouveau dossier, pour la modifier et l'utiliser dans "
               "une campagne."),
    "dossier": ("Vérifier la nomenclature de ce dossier (familles.csv, metiers.csv) au lieu de celle de la "
                "campagne."),
    "nouvelle-campagne": "Créer le fichier de campagne campagnes/IDENTIFIANT.toml, à compléter.",
    "nouvelle-campagne.short": "Créer un fichier de campagne à compléter.",
    "depuis": ("Campagne dont reprendre les sociétés et le contact, et qui servira de campagne précédente (par "
               "défaut : la plus récente du dossier campagnes/ ; pour une première campagne, les sociétés du SNSA)."),
    "date-arrete": "Date d'arrêté des effectifs (JJ/MM/AAAA).",
    "date-limite": "Date limite de retour (JJ/MM/AAAA).",
    "recu-le": ("Date (et heure) de réception des fichiers nouvellement déposés, par exemple celle du courriel qui "
                "les apportait (par défaut : maintenant)."),
    "libelle": "Libellé de la campagne.",
    "modeles": """Écrire un classeur à remplir par société (templates_xlsx/CAMPAGNE/).

Relancée après une modification du fichier de campagne, la commande dit, par raison sociale, quels
modèles sont nouveaux, lesquels ont changé et pourquoi (raison sociale, date limite, contact…) : ce sont
ceux à envoyer. Les modèles inchangés ne sont pas réécrits. Les modèles des sociétés retirées du fichier
de campagne, ou dont l'identifiant a changé, sont déplacés dans templates_xlsx/CAMPAGNE/anciens/.""",
    "modeles.short": "Écrire les modèles à remplir, un par société.",
    "controler": "Contrôler les retours déposés dans inputs/CAMPAGNE/ (rapport outputs/CAMPAGNE/controle.xlsx).",
    "controler.short": "Contrôler les retours des sociétés.",
    "consolider": ("Contrôler les retours puis écrire le tableau de la branche (outputs/CAMPAGNE/consolidation.xlsx), "
                   "l'édition publiée (outputs/CAMPAGNE/diffusion.xlsx) et ses données ouvertes (diffusion.csv, "
                   "metiers.csv et leur description datapackage.json, dans le même dossier)."),
    "consolider.short": "Contrôler puis consolider les retours.",
    "status": """Suivi de la campagne : par société, fichiers reçus, statut, retard, contact ; liste des relances.

Écrit outputs/CAMPAGNE/suivi.xlsx (à transmettre à l'Observatoire) et outputs/CAMPAGNE/relances.txt
(texte du courriel de relance). (Ancien nom : status.)""",
    "status.short": "Où en est la campagne : suivi par société et relances.",
    "au": "Date du jour pour le calcul des retards (JJ/MM/AAAA ; par défaut : aujourd'hui).",
    "suggest": """Rapprocher les intitulés de poste d'un export RH (.xlsx ou .csv) des métiers de la branche.

Écrit un classeur de rapprochement à faire vérifier par la société (colonne « Code retenu »), puis
« effectifs remplir » en fait le modèle rempli. (Ancien nom : suggest.)""",
    "suggest.short": "Proposer un métier pour chaque intitulé de poste d'une société.",
    "societe": "Identifiant de la société (voir le fichier de campagne).",
    "colonne-intitule": "Nom de la colonne des intitulés de poste dans l'export.",
    "colonne-effectif": ("Nom de la colonne des effectifs, si l'outil ne la reconnaît pas (il reconnaît « Effectif… », "
                         "« Nb de salariés », « Nombre de personnes », « Total »…)."),
    "par-salarie": ("L'export compte une ligne par salarié : chaque ligne compte une personne, les colonnes de "
                    "nombres (âge, salaire…) sont ignorées."),
    "sortie-revue": "Classeur de rapprochement à écrire.",
    "evaluer": "Mesurer la justesse des propositions sur le jeu d'évaluation (et l'apprentissage d'une société à l'autre).",
    "remplir": "Additionner les effectifs par code retenu et écrire le modèle rempli de la société, contrôlé comme un "
               "retour.",
    "remplir.short": "Faire du rapprochement vérifié le modèle rempli de la société.",
    "sortie-modele": "Modèle rempli à écrire.",
    "lexique": """Le lexique des intitulés de poste : lexique de départ, intitulés validés par les sociétés
(chaque « effectifs remplir » y ajoute ceux de sa revue) et décisions de l'Observatoire.

Sans option, affiche son contenu en chiffres. --export l'écrit dans un classeur à relire (corriger
un code, retirer une ligne, ajouter un intitulé) ; --charger y reporte les décisions de ce classeur.""",
    "lexique.short": "Exporter, relire et recharger le lexique des intitulés de poste.",
    "lexique-export": "Écrire le lexique dans ce classeur .xlsx, pour relecture par l'Observatoire.",
    "lexique-charger": "Reporter dans le lexique les décisions de ce classeur relu.",
    "demo": ("Dérouler la campagne 2007 de démonstration : modèles, retours d'exemple, contrôle, consolidation ; "
             "puis une campagne fictive 2009 qui demande toutes les répartitions et les ETP, comparée à 2007. "
             "Tout se passe dans le dossier demo/."),
    "demo.short": "Dérouler les campagnes de démonstration (2007, puis 2009 fictive).",
}

# --- the input folder ---------------------------------------------------------------------------------
NOTHING_TO_CONSOLIDATE = "Aucun retour accepté : rien à consolider."
NOTHING_TO_CONSOLIDATE_HELP = "consultez le rapport de contrôle (controle.xlsx) pour les corrections à demander"
UNKNOWN_ROWS = ("Les chiffres retenus pour {n:pl:société|sociétés} portent des codes de ligne que la nomenclature "
                "de la campagne {campagne} n'a plus : elle a été modifiée après leur retour. Ces effectifs seraient "
                "perdus ; rien n'est consolidé.")
UNKNOWN_ROWS_COMPANY = "{societe} : {lignes} ({personnes:pl:personne|personnes})"
UNKNOWN_ROWS_HELP = ("rétablissez les codes de la nomenclature, ou envoyez à ces sociétés leur nouveau modèle "
                     "(effectifs modeles) et consolidez leur nouveau fichier")

# --- the history ---------------------------------------------------------------------------------------
HISTORY_NEWER = ("L'historique a été écrit par une version plus récente d'effectifs (schéma {version}, cette version "
                 "connaît le schéma {connue}) : mettez effectifs à jour avant de l'utiliser.")
HISTORY_NOT_A_FILE = "L'historique {chemin} n'est pas un fichier."
FOLDER_IS_A_FILE = "{chemin} est un fichier, pas un dossier : renommez-le ou déplacez-le, puis relancez la commande."
HISTORY_LOCKED = "L'historique {chemin} est occupé par une autre exécution d'effectifs."
HISTORY_LOCKED_HELP = "attendez qu'elle se termine (ou fermez le programme qui l'utilise), puis relancez la commande"
HISTORY_DAMAGED = "L'historique {chemin} est illisible ou endommagé ({erreur})."
HISTORY_DAMAGED_HELP = ("restaurez sa dernière sauvegarde ; à défaut, renommez-le : la prochaine commande en créera un "
                        "nouveau à partir des fichiers présents dans les dossiers des retours")
CAMPAIGN_BUSY = "Une autre exécution d'effectifs travaille sur la campagne {campagne} depuis longtemps."
CAMPAIGN_BUSY_HELP = "attendez qu'elle se termine, puis relancez la commande"
OUTPUT_BUSY = "{n:w:Ce fichier n'a pas pu être remplacé|Ces fichiers n'ont pas pu être remplacés} : {fichiers}."
OUTPUT_BUSY_HELP = ("{n:w:il est sans doute ouvert|ils sont sans doute ouverts} dans Excel ou LibreOffice : "
                    "{n:w:fermez-le|fermez-les}, puis relancez la commande (les autres résultats sont à jour)")
METAVAR_DATE = "JJ/MM/AAAA"
METAVAR_DATETIME = "JJ/MM/AAAA [HH:MM]"
BAD_DATE = "« {valeur} » n'est pas une date au format {attendu}."

DEMO_README = ("Dossier de la démonstration d'effectifs (campagne 2007, répartition fictive par société) : ses "
               "fichiers et son historique sont séparés des vraies campagnes.\n")
METAVAR_CAMPAIGN = "CAMPAGNE"
NO_SUCH_COMMAND = "commande inconnue : « {nom} »"
DID_YOU_MEAN = " (vouliez-vous dire : {propositions} ?)"
NO_SUCH_OPTION = "option inconnue : {option}"
MISSING_PARAMETER = "il manque {nom}"
BAD_PARAMETER = "valeur invalide pour {nom} : {message}"
EXTRA_ARGUMENT = "argument en trop : {arguments}"
OPTION_NEEDS_VALUE = "l'option {option} attend une valeur"
TRY_HELP = "Pour l'aide : {commande} --help"
ABORTED = "Interrompu."
METAVAR_FOLDER = "DOSSIER"
METAVAR_FILE = "FICHIER"
METAVAR_TEXT = "TEXTE"
METAVAR_ID = "IDENTIFIANT"
METAVAR_COLUMN = "COLONNE"
