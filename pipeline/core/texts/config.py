"""What users read about the files they edit: the campaign file (TOML) and the nomenclature (CSV)."""

from __future__ import annotations

# --- the campaign file ----------------------------------------------------------------------------
CAMPAIGN_MISSING = "Fichier de campagne introuvable : {chemin}"
CAMPAIGN_UNKNOWN = "Campagne « {ref} » introuvable."
CAMPAIGN_KNOWN = "campagnes disponibles : {liste}"
CAMPAIGN_CREATE = "créez-en une avec : effectifs nouvelle-campagne IDENTIFIANT"
NO_CAMPAIGN = "Aucune campagne dans ce dossier (fichiers campagnes/*.toml)."
DEMO_HINT = "pour voir le déroulement complet sur un exemple fictif : effectifs demo"
DEMO_ELSEWHERE = "la campagne 2007 est celle de la démonstration : elle se trouve dans le dossier demo/"
CAMPAIGN_UNREADABLE = "Fichier de campagne {chemin} illisible : {erreur}"
TOML_WHERE = "ligne {ligne}, colonne {colonne} : {erreur}"
TOML_AT_END = "à la fin du fichier : {erreur} (une liste ou un texte ouvert n'a pas été refermé ?)"
TOML_HELP = ("ouvrez le fichier dans un éditeur de texte, corrigez la ligne indiquée (les textes entre guillemets "
             "droits \"…\", les dates sous la forme AAAA-MM-JJ ou \"JJ/MM/AAAA\"), puis relancez la commande")
TOML_ERRORS = {
    "Expected newline or end of document after a statement": "fin de ligne attendue après la valeur (un texte sans "
                                                             "guillemets, ou un guillemet en trop ?)",
    "Invalid value": "valeur illisible (un texte doit être entre guillemets droits, un nombre s'écrit sans espace)",
    "Invalid statement": "ligne illisible",
    "Expected '=' after a key in a key/value pair": "signe « = » attendu après le nom de la clé",
    "Unterminated string": "guillemet fermant manquant",
    "Unclosed array": "crochet fermant « ] » manquant",
    "Cannot declare": "section déclarée deux fois",
    "Cannot overwrite a value": "clé donnée deux fois",
    "Invalid date or datetime": "date invalide (AAAA-MM-JJ)",
    "Illegal character": "caractère non permis dans un texte",
}
TOML_OTHER = "syntaxe incorrecte"
CAMPAIGN_ENCODING = "Fichier de campagne {chemin} : enregistrez-le en UTF-8."
CAMPAIGN_INVALID = "Fichier de campagne {chemin} invalide :"
KEY_MISSING = "{ou} : clé « {cle} » manquante"
KEY_TYPE = "{ou} : « {cle} » doit être {attendu}, trouvé « {valeur} »"
KEY_EMPTY = "{ou} : « {cle} » est vide"
EXPECTED_DATE = "une date AAAA-MM-JJ sans guillemets"
EXPECTED_TEXT = "un texte entre guillemets"
SECTION_CAMPAIGN_MISSING = "section [campagne] manquante"
CONTACT_NAME_MISSING = "[contact] : indiquez au moins « nom » (qui les sociétés contactent)"
COMPANY_WHERE = "[[societes]] n° {n}"
COMPANY_FORMAT = "{ou} : format invalide"
NO_COMPANY = "aucune société : ajoutez des sections [[societes]]"
COMPANY_DUPLICATE = "[[societes]] : {champ} « {valeur} » en double"
COMPANY_FIELDS = {"identifiant": "identifiant", "raison_sociale": "raison sociale"}
COMPANY_SAME_FILE = ("[[societes]] : deux identifiants donnent le même nom de fichier « {valeur} » ; choisissez des "
                     "identifiants plus distincts")
SECRET_SECTION = "[secret] : section invalide"
SECRET_FREQUENCY = "[secret] : « frequence_min » doit être un nombre entier d'au moins 1, trouvé « {valeur} »"
SECRET_DOMINANCE = ("[secret] : « dominance » doit être une part entre 0 et 1 (par exemple 0.85), trouvé "
                    "« {valeur} »")
SECRET_P = ("[secret] : « p » doit être un pourcentage strictement entre 0 et 100 (par exemple 10), trouvé "
            "« {valeur} »")
SECRET_RULES = ("dominance", "p%")
SECRET_RULE = "[secret] : « regle » doit être « dominance » ou « p% », trouvé « {valeur} »"
SECRET_COSTS = ("effectif", "cellules")
SECRET_COST = "[secret] : « cout » doit être « effectif » ou « cellules », trouvé « {valeur} »"
COMPANY_GROUP = "{ou} : « groupe » doit être un texte entre guillemets (le nom du groupe), trouvé « {valeur} »"
COMPANY_GROUP_NAME = ("[[societes]] : le groupe « {valeur} » porte l'identifiant d'une société ; donnez au groupe un "
                      "nom distinct")
DEFAULT_NOMENCLATURE = ("defaut", "défaut", "")
NEW_CAMPAIGN_ID = "Indiquez un identifiant de campagne (par exemple 2026)."
NEW_CAMPAIGN_EXISTS = "Le fichier {chemin} existe déjà : modifiez-le, ou choisissez un autre identifiant."
# What marks a contact as a placeholder to complete (a regular expression).
PLACEHOLDER_PATTERN = r"compl[ée]ter|fictif|\.example\b|\.invalid\b|@example\."
TO_COMPLETE = "À compléter : nom du secrétariat ou de la personne à contacter"
TO_COMPLETE_EMAIL = "a-completer@exemple.invalid"
DEFAULT_RETURN = "par courriel, en pièce jointe"
EMPTY = "(vide)"
READY_CONTACT = "[contact] : « {cle} » est à compléter (valeur actuelle : « {valeur} »)"
READY_COMPANY = "[[societes]] {societe} : adresse ou correspondant fictif (« {valeur} »)"
READY_DEADLINE = "[campagne] : la date limite de retour ({date:d}) est déjà passée"
NEW_CAMPAIGN_LABEL = "Actualisation de la cartographie des métiers — effectifs au {date:d}"

# The commented campaign file written by « effectifs nouvelle-campagne »: {…} are filled with TOML values.
CAMPAIGN_FILE = """\
# Campagne d'actualisation des effectifs par métier — fichier à modifier par le secrétariat.
# Les dates s'écrivent AAAA-MM-JJ, sans guillemets. Les textes entre guillemets droits.

[campagne]
# Identifiant court : il nomme les dossiers templates_xlsx/, inputs/ et outputs/ de la campagne.
identifiant = {identifiant}
libelle = {libelle}
# Date d'arrêté des effectifs : les sociétés comptent leurs effectifs permanents à cette date.
date_arrete = {date_arrete}
# Date limite de retour des fichiers.
date_limite = {date_limite}
# « defaut » : la nomenclature livrée avec l'outil ; sinon le chemin d'un dossier contenant
# familles.csv et metiers.csv (relatif à ce fichier).
nomenclature = {nomenclature}
# Campagne précédente : ses chiffres consolidés servent de rappel N−1 et de base aux évolutions.
{precedente}

[contact]
# Ce contact figure dans chaque modèle : les sociétés s'adressent à lui.
nom = {nom}
email = {email}
telephone = {telephone}
retour = {retour}

[secret]
# Secret statistique de l'édition publiée (diffusion.xlsx et données ouvertes) : une cellule est masquée
# quand moins de frequence_min sociétés y contribuent, ou (regle = "dominance") quand une seule société
# en fait plus de la part dominance, ou (regle = "p%") quand, sans ses deux plus grandes sociétés, elle
# fait moins de p % de la plus grande. Les sociétés d'un même groupe comptent pour une seule.
frequence_min = 3
regle = "dominance"
dominance = 0.85
# Marge de protection en % : aucune valeur masquée ne doit pouvoir être encadrée à moins de p % près,
# ni par un lecteur, ni par une société qui se sert de ses propres chiffres.
p = 10
# Les cellules masquées en plus sont choisies pour cacher le moins de personnes ("effectif") ou le
# moins de cellules ("cellules").
cout = "effectif"

# Une section [[societes]] par société. L'identifiant est stable d'une campagne à l'autre ;
# contact et email (facultatifs) : le correspondant RH, repris dans le suivi et les relances.
# groupe (facultatif) : le nom du groupe auquel appartient la société ; les sociétés d'un même groupe,
# écrit à l'identique, comptent pour une seule dans le secret statistique. Exemple : groupe = "Groupe Alpha"
"""
NO_PREVIOUS = '# Aucune pour l\'instant. Plus tard, par exemple : precedente = "2026" (une campagne de ce dossier)'

# --- the nomenclature files ------------------------------------------------------------------------
NOMENCLATURE_WHAT = "Nomenclature"
NOMENCLATURE_MISSING_FILE = "{quoi} : fichier introuvable : {chemin}"
NOMENCLATURE_EMPTY_FILE = "{quoi} : le fichier {chemin} est vide."
NOMENCLATURE_MISSING_COLUMNS = ("{quoi} : {fichier}, ligne 1 : {n:w:colonne manquante|colonnes manquantes} : "
                                "{colonnes}.")
NOMENCLATURE_EXPECTED_COLUMNS = "colonnes attendues : {colonnes}"
NOMENCLATURE_FOUND_COLUMNS = "colonnes trouvées : {colonnes}"
NOMENCLATURE_FIELDS = "{fichier}, ligne {ligne} : {n} champs au lieu de {attendus} (un « {separateur} » en trop ou manquant ?)"
NOMENCLATURE_MALFORMED = "{quoi} : le fichier {chemin} est mal formé."
NOMENCLATURE_LINE = "{fichier}, ligne {ligne} : {message} — à faire : {action}"
NOMENCLATURE_CELL = "{fichier}, ligne {ligne}, colonne {colonne} : {message}"
NOMENCLATURE_CELL_DETAIL = " — attendu : {attendu} — à faire : {action}"
NOMENCLATURE_UNKNOWN_FAMILY = ("{fichier}, ligne {ligne}, colonne code_famille : famille « {code} » absente de "
                               "{familles} — à faire : ajoutez la famille ou corrigez le code")
NOMENCLATURE_EMPTY_FAMILY = ("{fichier}, ligne {ligne} : la famille « {code} » n'a aucun métier dans {metiers} — à "
                             "faire : ajoutez au moins un métier ou retirez la famille")
NOMENCLATURE_NOTHING = "la nomenclature doit contenir au moins une famille et un métier"
NOMENCLATURE_INVALID = "Nomenclature invalide ({dossier}) :"
NOMENCLATURE_GROUPS = "Nomenclature invalide ({dossier}) : au plus {n} groupes de familles."
CORRESPONDENCE_CODE = "{fichier}, ligne {ligne}, colonne {colonne} : code « {code} » invalide — attendu : 4 chiffres ou vide"
CORRESPONDENCE_UNKNOWN = ("{fichier}, ligne {ligne} : le code « {code} » n'existe pas dans {metiers} — à faire : corrigez "
                          "le code ou ajoutez le métier")
CORRESPONDENCE_EMPTY = "{fichier}, ligne {ligne} : ligne sans aucun code"
CORRESPONDENCE_INVALID = "Table de correspondance invalide ({chemin}) :"
# The table against the previous campaign's nomenclature (core/correspondences.py).
CORRESPONDENCE_MISMATCH = ("La table de correspondance {chemin} ne décrit pas le passage de la nomenclature de la "
                           "campagne {precedente} ({dossier_precedent}) à celle de la campagne {campagne} "
                           "({dossier}) ; sans elle, les évolutions et les contrôles d'une année sur l'autre "
                           "seraient faux :")
CORRESPONDENCE_SHIPPED = "nomenclature livrée avec l'outil"
CORRESPONDENCE_UNKNOWN_PREVIOUS = ("{fichier}, ligne {ligne}, colonne code_precedent : le code « {code} » n'existe pas "
                                   "dans la nomenclature de la campagne {precedente} — à faire : corrigez le code ou "
                                   "retirez la ligne")
CORRESPONDENCE_GONE = ("métier {code} « {intitule} » de la campagne {precedente} : il n'existe plus et n'est dans "
                       "aucune ligne en code_precedent — à faire : ajoutez une ligne « {code};… » vers chaque métier "
                       "qui le reprend, ou « {code}; » s'il est supprimé")
CORRESPONDENCE_NEW = ("métier {code} « {intitule} » de la campagne {campagne} : il est nouveau et n'est dans aucune "
                      "ligne en code — à faire : ajoutez une ligne « …;{code} » depuis chaque métier d'où il vient, "
                      "ou « ;{code} » s'il est créé")
CORRESPONDENCE_ONLY_AS_CODE = ("métier {code} « {intitule} » : il figure dans la table en code mais en aucune ligne "
                               "en code_precedent, ses effectifs passés ne seraient donc comparés à rien — à faire : "
                               "ajoutez la ligne « {code};{code} » s'il continue (par exemple quand un autre métier "
                               "lui est fusionné), ou « {code};… » vers le métier qui le reprend")
CORRESPONDENCE_ONLY_AS_PREVIOUS = ("métier {code} « {intitule} » : il figure dans la table en code_precedent mais en "
                                   "aucune ligne en code, il serait donc présenté comme un métier nouveau — à faire : "
                                   "ajoutez la ligne « {code};{code} » s'il continue (par exemple quand il est "
                                   "scindé), ou « …;{code} » depuis le métier d'où il vient")
CORRESPONDENCE_MISMATCH_HELP = ("complétez {fichier} (une ligne code_precedent;code;commentaire par lien : voyez "
                                "« Modifier la nomenclature » dans le guide du secrétariat), vérifiez-le avec "
                                "« effectifs nomenclature -c {campagne} », puis relancez la commande")
NOMENCLATURE_TABLE = {"Groupe": "Groupe", "Famille": "Famille", "Code": "Code", "Intitulé du métier": "Intitulé du métier",
                      "Emplois rattachés": "Emplois rattachés", "Mission": "Mission",
                      "Autres dénominations": "Autres dénominations",
                      "Rattachements hiérarchiques": "Rattachements hiérarchiques"}
NOMENCLATURE_COPY_EXISTS = "Le dossier {dossier} contient déjà une nomenclature : choisissez un autre dossier."

# --- breakdowns per métier and the ETP measure ([[ventilations]] and [saisie] of a campaign file) ---------------
BREAKDOWN_NR_LABEL = "non renseigné"
BREAKDOWN_NR_HEADING = "{ventilation} : non renseigné"
BREAKDOWN_CROSS_LABEL = "{a} × {b}"
BREAKDOWN_CROSS_CATEGORY = "{a}, {b}"
BREAKDOWN_FORMAT = ("[[ventilations]] doit être une liste de sections [[ventilations]] et [saisie] une section ; "
                    "voyez l'exemple commenté de la campagne de démonstration")
BREAKDOWN_WHERE = "[[ventilations]] n° {n}"
BREAKDOWN_ENTRY = "{ou} : section mal formée"
BREAKDOWN_KEY = ("{ou} : « identifiant » doit être un mot court en minuscules, sans accent ni tiret (des "
                 "lettres, des chiffres et « _ », une lettre d'abord : « sexe », « temps_travail »), "
                 "trouvé « {valeur} »")
BREAKDOWN_LABEL = "{ou} : « libelle » manque (le nom de la ventilation en français, par exemple « Sexe »)"
BREAKDOWN_CATEGORIES = ("{ou} : « categories » doit être une liste d'au moins deux textes entre guillemets "
                        "(par exemple [\"femmes\", \"hommes\"])")
BREAKDOWN_NR = "{ou} : « non_renseigne » doit valoir true ou false, trouvé « {valeur} »"
BREAKDOWN_DUPLICATE = ("{ou} : catégorie ou identifiant déjà utilisé (« {valeur} ») ; chaque catégorie doit avoir un "
                       "nom distinct, et « non renseigné » s'ajoute par non_renseigne = true")
BREAKDOWN_ETP = "[saisie] : « etp » doit valoir true ou false, trouvé « {valeur} »"
BREAKDOWN_GAP = ("[saisie] : « ecart_part_max » doit être un nombre de points entre 0 et 100 (par exemple 10), "
                 "trouvé « {valeur} »")
BREAKDOWN_CROSS = ("[saisie] : « croisements » doit lister des paires d'identifiants de ventilations déclarées "
                   "(par exemple [[\"sexe\", \"age\"]]), trouvé « {valeur} »")
BREAKDOWN_PYRAMID = ("[saisie] : « croisements » ne sert qu'à la pyramide des âges : [[\"sexe\", \"age\"]], avec les "
                     "ventilations « sexe » (deux catégories, les deux côtés de la pyramide) et « age » déclarées ; "
                     "trouvé « {valeur} »")
BREAKDOWN_SHEET = ("{ou} : le libellé « {libelle} » donne à sa feuille du classeur de consolidation le nom "
                   "« {feuille} », qui est déjà celui d'une autre feuille ; choisissez un autre libellé (Excel ne "
                   "distingue pas les majuscules des minuscules et coupe les noms de feuilles à 31 caractères)")
BREAKDOWN_CROSS_WHERE = "[saisie] « croisements »"
BREAKDOWN_TOML_HELP = """\
# Ce que les sociétés saisissent en plus de l'effectif. etp : les équivalents temps plein (une décimale,
# jamais plus que l'effectif de la ligne). ecart_part_max : au-delà de cet écart (en points) entre la part d'une
# catégorie dans un métier et celle de la campagne précédente, un avertissement est donné. croisements : les
# paires de ventilations saisies croisées (sexe × âge donne la pyramide des âges).
"""
