"""Labels of the workbooks and of the data: sheet names, headings, row labels, level names."""

from __future__ import annotations

from ..vocab import Level

NIVEAUX = {
    Level.EMPLOI: "emploi rattaché", Level.METIER: "métier", Level.FAMILLE: "famille", Level.GROUPE: "groupe",
    Level.VENTILES: "total ventilé", Level.NON_VENTILES: "non ventilés", Level.BRANCHE: "branche",
    Level.DECLARE: "total déclaré", Level.ECART: "écart",
}

# --- the template ----------------------------------------------------------------------------------
SHEET_GUIDE = "Mode d'emploi"
SHEET_INPUT = "Effectifs"
SHEET_FEEDBACK = "Anomalies"  # first sheet of a workbook sent back to a company

HEADING_CODE = "Code"
HEADING_TITLE = "Intitulé du métier"
HEADING_EMPLOI = "Emploi rattaché"
HEADING_AUTRES = "Autres dénominations rencontrées"
HEADING_EFFECTIF = "Effectif au {date:d}"
HEADING_COMMENT = "Commentaire"
HEADING_PREVIOUS = "Rappel : effectif de la campagne {precedente} (N−1)"

IDENTITY = "Référence du fichier, à ne pas modifier : {campagne} · {societe} · {format} · {nomenclature}"
OBSERVATORY = "Observatoire des Métiers de l'Assistance"
TEMPLATE_TITLE = "Effectifs par métier — {societe}"
TEMPLATE_RETURN_BY = "À retourner au plus tard le {date:d}"
INPUT_TITLE = "Effectifs permanents par métier au {date:d}"
HEAD_COMPANY = "Société"
HEAD_CAMPAIGN = "Campagne"
HEAD_REFERENCE_DATE = "Date d'arrêté"
HEAD_DEADLINE = "Date limite de retour"
HEAD_CONTACT = "Contact"
INPUT_HELP = ("Saisissez un nombre entier de personnes dans les cellules jaunes (vide = 0). Les totaux se calculent "
              "seuls. Voir la feuille « Mode d'emploi ».")
VALIDATION_TITLE = "Effectif"
VALIDATION_PROMPT = "Nombre entier de personnes (0 ou plus).\nVide = 0."
VALIDATION_ERROR_TITLE = "Valeur non valide"
VALIDATION_ERROR = "Saisissez un nombre entier de personnes, égal ou supérieur à 0 (sans décimale, sans texte)."

GROUP_HEADING = "Les {groupe}"
GROUP_TOTAL = "Total effectifs {groupe} rattachés à une fiche métier"
FAMILY_TOTAL = "Sous-total {code} - {intitule}"
METIER_TOTAL = "Total des emplois rattachés ci-dessous"
VENTILES = "Total des effectifs ventilés dans les fiches métiers"
NON_VENTILES = "Effectifs non ventilés dans les fiches métiers"
NON_VENTILES_TABLE = "Total effectifs non ventilés dans les fiches métiers"
NON_VENTILES_HELP = "Fonctions de direction, missions ponctuelles, salariés détachés, métiers sans fiche métier"
CALCULE = "Total calculé (ventilés + non ventilés)"
DECLARE = "Effectif permanent total de la société (déclaré)"
ECART = "Écart : total déclaré − total calculé (doit être 0)"
BRANCHE = "Total effectifs branche"
BRANCHE_AU = "Total effectifs branche au {date:d}"


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]

NONE = "aucune"

# --- printing -------------------------------------------------------------------------------------
PRINT_EDITED = "Édité le {moment:dt}"
PRINT_PAGE = "Page {page} sur {pages}"

# --- controle.xlsx --------------------------------------------------------------------------------
CONTROL_TITLE = "Contrôle des retours — campagne {campagne}"
CONTROL_HEADING = "Contrôle des retours — {libelle}"
CONTROL_SUMMARY = "Sociétés acceptées dans le dossier : {acceptees} sur {attendues} ; sans retour : {manquantes}"
CONTROL_SHEET_FILES = "Fichiers"
CONTROL_SHEET_PROBLEMS = "Anomalies"
CONTROL_FILE_HEADINGS = ["Fichier", "Société", "Raison sociale", "Statut", "Erreurs", "Avertissements"]
CONTROL_MISSING = "Sociétés sans retour"
CONTROL_SUMMARY_KEPT = " ; retenues sans fichier dans le dossier : {n}"
CONTROL_KEPT = "Sociétés retenues sans fichier dans le dossier (leur dernier fichier accepté compte toujours)"
CONTROL_KEPT_HEADINGS = ["Fichier", "Société", "Raison sociale", "Reçu le"]
CONTROL_KEPT_WHEN = "{recu:dt}"
# Several files for a company one of whose files was accepted before: that one still counts until the secretary
# keeps one (the history's latest accepted submission).
TASK_SEVERAL_KEPT = ("Plusieurs fichiers pour cette société : gardez dans le dossier des retours celui à "
                     "retenir (en principe le plus récent) et déplacez l'autre ailleurs. D'ici là, c'est "
                     "« {fichier} », reçu le {recu:dt} et accepté, qui compte dans la consolidation ; rien "
                     "n'est renvoyé à la société.")
CONTROL_PROBLEM_HEADINGS = ["Fichier", "Société", "Feuille", "Cellule", "Gravité", "Problème", "Attendu", "À faire"]

# --- return-to-sender workbooks -------------------------------------------------------------------
FEEDBACK_TITLE = "Anomalies relevées dans votre fichier"
FEEDBACK_PAGE_TITLE = "Anomalies relevées — {societe}"
FEEDBACK_HEADINGS = ["Gravité", "Code", "Ligne", "Cellule dans votre fichier", "Problème", "Attendu", "À faire"]

# --- what the secretariat settles itself (controle.xlsx, the console, relances.txt) ----------------------
CONTROL_SHEET_TASKS = "À régler"
TASKS_HEADING = "À régler par le secrétariat — rien n'est envoyé aux sociétés pour ces points"
TASKS_HEADINGS = ["Société", "Fichiers", "À faire"]
TASKS_SUMMARY = "À régler par le secrétariat : {n:pl:point|points} (feuille « {feuille} »)"
TASKS = {
    "plusieurs_fichiers": ("Plusieurs fichiers pour cette société : gardez dans le dossier des retours celui à retenir "
                           "(en principe le plus récent) et déplacez l'autre ailleurs. D'ici là, aucun n'est utilisé "
                           "ni renvoyé à la société."),
    "sans_societe": ("Ce fichier n'est le retour d'aucune société de la campagne ({motif}). S'il vient d'une société, "
                     "demandez-lui de remplir le modèle qui lui a été envoyé ; sinon, retirez-le du dossier. Aucun "
                     "courriel n'est préparé pour lui."),
    "a_cote": ("Ce fichier porte le nom du modèle de cette société mais ne peut pas être lu ({motif}), et son "
               "classeur est déjà dans le dossier : s'il n'en est qu'une impression ou une copie, retirez-le du "
               "dossier. Rien ne lui est envoyé."),
    "nom_autre": ("Le nom de ce fichier évoque {autre}, mais il a été rempli dans le modèle de cette société, à qui "
                  "ses chiffres sont attribués : vérifiez auprès {autre:de} avant de consolider. S'il vient bien de "
                  "cette société, renommez-le, par exemple « {modele} » ; sinon, retirez-le du dossier et demandez à "
                  "{autre} de remplir son propre modèle. Rien n'est renvoyé à cette société pour ce fichier."),
    "sans_adresse": ("Aucune adresse électronique pour cette société : complétez le champ email de sa section "
                     "[[societes]] dans le fichier de campagne ; le courriel préparé n'a pas de destinataire."),
}
TASKS_SEVERAL_NAMED = ("Attention : le nom de « {fichier} » évoque {autre}, qui a peut-être rempli le modèle de cette "
                       "société. Vérifiez auprès {autre:de} avant de choisir ; si c'est le cas, ce n'est pas ce "
                       "fichier qu'il faut garder, et {autre} doit remplir son propre modèle.")

# --- the branch table (consolidation.xlsx, diffusion.xlsx) ----------------------------------------
SHEET_SYNTHESE = "Synthèse"
SHEET_BASE = "Base de données"
SHEET_CHART = "Graphique"
SYNTHESE_TITLE = "Effectifs de la branche par métier au {date:d}"
SYNTHESE_COUNT = "Sociétés consolidées : {retenues} sur {attendues} attendues."
SYNTHESE_ABSENT = "Non consolidée : {societe} ({motif})."
SYNTHESE_NOTE = ("Pourcentages : part de l'effectif total de la branche, non ventilés compris. Nombre de sociétés : "
                 "sociétés déclarant au moins une personne.")
SYNTHESE_NOTE_SECRET = "« s » : donnée couverte par le secret statistique (voir la feuille « Note »)."
SYNTHESE_NOTE_CONSTANT = ("Évolution à champ constant depuis la campagne {campagne} (effectifs au {date:d}) : les "
                          "{n:pl:société consolidée|sociétés consolidées} les deux années, à travers la table de "
                          "correspondance de la nomenclature.")
SYNTHESE_NOTE_SAME = ("Évolution depuis la campagne {campagne} (effectifs au {date:d}) : les mêmes {n:pl:société|sociétés} "
                      "les deux années, à travers la table de correspondance de la nomenclature.")
SYNTHESE_NOTE_RAW = ("La comparaison brute de tout ce qui a été consolidé à chaque campagne, qui mêle l'évolution des "
                     "effectifs et celle des sociétés présentes, figure dans la feuille « {feuille} ».")
SYNTHESE_NO_CONSTANT = ("Aucune société n'a été consolidée à la fois dans cette campagne et en {campagne} : pas "
                        "d'évolution à champ constant. La comparaison brute figure dans la feuille « {feuille} ».")
SYNTHESE_NOTE_PUBLISHED = ("Évolution par rapport à l'édition publiée de la campagne {campagne} (effectifs au "
                           "{date:d}), métier par métier (un métier dont le code a changé depuis est comparé à ses "
                           "anciens codes) : elle compare tout ce qui a été consolidé chaque année, y compris les "
                           "sociétés entrées dans la branche, sorties ou n'ayant pas répondu l'une des deux années, et "
                           "n'est publiée que si l'effectif est publié les deux années.")
SAME_COMPANIES_AU = "Mêmes sociétés : effectif au {date:d}"
REMARK_COMMENTS = "{n:pl:commentaire|commentaires} des sociétés"
REMARK_SEPARATOR = " ; "
SHEET_RAW_EVOLUTION = "Évolution brute"
RAW_TITLE = "Comparaison brute avec la campagne {campagne}"
RAW_NOTE = ("Tout ce qui a été consolidé à chaque campagne : {n:pl:société|sociétés} au {date:d}, {n1:pl:société|"
            "sociétés} au {date1:d}. Cette comparaison mêle l'évolution des effectifs et celle des sociétés présentes ; "
            "l'évolution de référence est celle à champ constant (feuille « {feuille} »).")
RAW_HEADINGS_EVOLUTION = ["Évolution brute", "Évolution brute %", "Remarque"]
ALL_COMPANIES_AU = "Toutes sociétés : effectif au {date:d}"

# --- HR's comments -------------------------------------------------------------------------------------
SHEET_COMMENTS = "Commentaires"
COMMENTS_TITLE = "{n:pl:commentaire|commentaires} des sociétés"
COMMENTS_NOTE = ("Ce que les services RH ont écrit dans la colonne Commentaire du modèle ou en note de cellule, dans "
                 "l'ordre des lignes du modèle.")
COMMENTS_HEADINGS = ["Code", "Ligne du modèle", "Société", "Commentaire", "Où"]
COMMENTS_FILE = "Fichier"
COMMENT_SOURCES = {"colonne": "Commentaire, cellule", "note": "Note sur la cellule"}
SYNTHESE_ONLY_PREVIOUS = "Sociétés consolidées en {campagne} seulement : {societes}."
SYNTHESE_ONLY_CURRENT = "Sociétés consolidées dans cette campagne seulement : {societes}."
SYNTHESE_HEADINGS = ["Code", "Intitulé du métier", "Effectif branche", "% effectif branche", "Nombre de sociétés"]
SYNTHESE_PUBLISHED = "Édition publiée"
EFFECTIF_AU = "Effectif au {date:d}"
AU_DATE = "Au {date:d}"
EVOLUTION_HEADINGS = ["Évolution", "Évolution %", "Remarque"]
TABLE_GROUP = "{numero} - LES {groupe}"
TABLE_FAMILY = "{code} - {intitule}"
FAMILY_TOTAL_PREFIX = "Sous-total "
MASKED = "s"
MASKED_BECAUSE = "masqué : secret {motif}"
MASKED_BEFORE = "publié ; N−1 et évolution masqués (secret de l'édition {campagne})"
NOT_AVAILABLE = "—"
NOT_COMPARABLE = "non comparable"
GROUPS_TITLE = "Métiers créés, supprimés, scindés ou fusionnés : comparaison par regroupement"
GROUPS_HEADINGS = ["Nature", "Regroupement (codes actuels ← codes précédents)"]
BASE_TITLE = "Base de données des métiers de la branche"
BASE_HEADINGS = ["Code métier", "Intitulé du métier", "Activités principales", "Emplois rattachés", "Autres intitulés",
                 "Effectif branche", None, "% effectif branche", None, "Nombre de sociétés", None]
BASE_SUBHEADINGS = ["sous-total", "total"]
CHART_TITLE = "Répartition des effectifs par famille de métiers"
CHART_HEADINGS = ["Famille de métiers", "Effectif", "% effectif branche"]
CHART_NV = "Métiers ou emplois sans fiche métier (non ventilés)"
CHART_SERIES = "Effectifs par famille"
CHART_PIE_TITLE = "Répartition des effectifs par famille au {date:d}"
CHART_EVOLUTION_TITLE = "Évolution par famille depuis le {date:d}, à champ constant"
CHART_BARS_TITLE = "Évolution des effectifs par famille"
CONSOLIDATION_TITLE = "Consolidation — {libelle}"
CONSOLIDATION_PAGE = "Consolidation de la campagne {campagne} — document interne"
DIFFUSION_PAGE = "Effectifs de la branche au {date:d} — édition publiée"
DIFFUSION_TITLE = "Effectifs de la branche — {libelle}"
HEADING_LABEL = "Intitulé"
HEADING_BRANCH = "Branche"
SHEET_PER_COMPANY = "Par société"
PER_COMPANY_WARNING = "CONFIDENTIEL — effectifs par société : document interne à l'Observatoire, à ne pas diffuser"
CONFIDENTIAL = "CONFIDENTIEL"
SHEET_SOURCES = "Sources"
SOURCES_TITLE = "Fichiers consolidés"
SOURCES_HEADINGS = ["Identifiant", "Raison sociale", "Fichier", "Soumission n°", "Reçu le"]
SOURCES_ABSENT = "Sociétés non consolidées"
SOURCES_REVIEW = "Revue"  # a column shown only when the campaign has review states (the web front)
SOURCES_VALIDATED = "validée le {date} par {nom}"
SOURCES_PROVISIONAL = "provisoire"
SHEET_SECRET = "Secret"
SHEET_NOTE = "Note"
SECRET_TITLE = "Cellules masquées dans l'édition publiée (diffusion.xlsx)"
SECRET_NOTE = [
    "Secret statistique",
    "Les effectifs publiés ne doivent pas permettre de connaître ceux d'une société, ni à un lecteur, ni à une "
    "société de la branche qui se sert de ses propres chiffres. Comme l'INSEE pour les données d'entreprises, "
    "l'Observatoire masque (« s ») :",
    "• les cellules auxquelles moins de {frequence} sociétés contribuent (règle de fréquence) ;",
    "• et, par secret secondaire, d'autres cellules choisies pour que, par différence à partir des sous-totaux et "
    "des totaux publiés (métier, famille, groupe, branche, emplois rattachés à un métier, répartitions), un lecteur "
    "ne puisse ni retrouver ni encadrer à moins de {p:%} près une cellule protégée, ni une société de la branche, en "
    "retranchant ses propres effectifs, l'effectif d'une autre société. Une société peut ainsi reconstituer une "
    "cellule masquée faite de ses seuls effectifs, ou le total de plusieurs autres sociétés, jamais l'effectif de "
    "l'une d'elles.",
    "Les pourcentages des cellules masquées sont masqués avec elles. Le nombre de sociétés n'est pas publié pour "
    "une cellule masquée, ni pour une cellule publiée où il permettrait à une société d'encadrer l'effectif d'une "
    "autre (chaque société comptée emploie au moins une personne) : il est alors remplacé par « s ».",
    "Le tableau complet est réservé à l'Observatoire des Métiers de l'Assistance.",
]
SECRET_NOTE_EVOLUTION = ("L'évolution depuis la campagne précédente n'est publiée que lorsque l'effectif des deux "
                         "campagnes l'est.")
SECRET_NOTE_DOMINANCE = ("• les cellules dont une seule société représente plus de {dominance:%} de l'effectif (règle de "
                         "dominance) ;")
SECRET_NOTE_P_RULE = ("• les cellules où la deuxième société pourrait estimer l'effectif de la première à moins de "
                      "{p:%} près (règle du p %) ;")
SECRET_NOTE_GROUPS = "• les sociétés d'un même groupe comptent pour une seule société dans ces règles ;"
SECRET_HEADINGS = ["Niveau", "Code", "Intitulé", "Effectif", "Sociétés", "Motif", "Protège", "Encadrement (lecteur)",
                   "Marge requise", "Société la mieux placée", "Encadrement (cette société)", "Marge requise"]
SECRET_BEST = ("« Société la mieux placée » : pour une cellule protégée par une règle, celle qui l'encadre au plus "
               "près parmi les sociétés à qui la règle impose une marge (une autre peut l'encadrer plus étroitement "
               "sans rien apprendre de l'effectif d'une société) ; pour une cellule du secret secondaire, celle qui "
               "l'encadre au plus près.")
SECRET_SCOPE = ("Ce tableau détaille les cellules masquées du tableau principal (effectifs par métier) ; celles des "
                "répartitions, protégées de la même façon et auditées avec elles, n'y sont pas détaillées "
                "({n:pl:cellule masquée|cellules masquées} en tout dans l'édition).")
SECRET_RANGE = "{bas} à {haut}"
SECRET_REQUIRED = "± {n}"
NONE_INSIDER = "aucune"
INFINITY = "∞"
SECRET_COHERENCE = "Cohérence avec la campagne précédente"
SECRET_COHERENCE_HEADINGS = ["Niveau", "Code", "Intitulé", "Avant", "Maintenant", "Remarque"]
SECRET_COHERENCE_NONE = "aucune cellule publiée une année et masquée l'autre"

# --- suivi.xlsx -----------------------------------------------------------------------------------
STATUS_TITLE = "Suivi de la campagne {campagne}"
STATUS_HEADING = "Suivi de la campagne — {libelle}"
STATUS_DEADLINE = "Date limite de retour : {date:d}"
SHEET_STATUS = "Suivi"
SHEET_SUBMISSIONS = "Soumissions"
SHEET_REMINDERS = "Relances"
STATUS_HEADINGS = ["Raison sociale", "Statut", "Fichiers reçus", "Dernier fichier", "Reçu le", "En retard",
                   "Soumission retenue", "Contact", "Identifiant", "Courriel"]
SUBMISSIONS_HEADINGS = ["N°", "Société", "Fichier", "Reçu le", "Intégré le", "Statut", "Total déclaré"]
UNIDENTIFIED = "(non identifiée)"
YES = "oui"
NO = "non"

# --- evolution ------------------------------------------------------------------------------------
EVOLUTION_RENAMED = "ancien code {code}"
EVOLUTION_NEW = "nouveau métier"
# Said whole where the métier is: the published edition has no table of the groups (consolidation.xlsx has).
EVOLUTION_GROUPED = "{nature} ({groupe}) : comparable seulement ensemble"
EVOLUTION_MOVED = "non comparable (un métier a changé de famille)"
EVOLUTION_NEW_FAMILY = "famille nouvelle"
EVOLUTION_SCOPE = "non comparable (un métier y a été créé ou supprimé)"
# The tables' note on what changed in the nomenclature since the previous campaign (write.guide.change_note).
NOTE_NOMENCLATURE = ("Nomenclature : depuis la campagne {campagne}, {changements}. Un métier scindé ou regroupé ne se "
                     "compare qu'avec ceux dont il provient (voir sa remarque).")
NOTE_CHANGES = {"nouveau": "{maintenant} créé", "supprimé": "{avant} « {intitule} » supprimé",
                "renommé": "{avant} devenu {maintenant}", "scindé": "{avant} scindé en {maintenant}",
                "fusionné": "{avant} regroupés en {maintenant}", "regroupé": "{avant} redistribués entre {maintenant}",
                "identique": "{maintenant} renommé « {intitule} »"}
EVOLUTION_MOVED_GROUP = "non comparable (un métier a changé de groupe)"
EVOLUTION_NEW_GROUP = "groupe nouveau"
EVOLUTION_SCOPE_NV = "non comparable (un métier a été créé ou supprimé)"
GROUP_REMOVED = "(supprimé)"
GROUP_NEW = "(nouveau)"
GROUP_LABEL = "{maintenant} ← {avant}"
ABSENT_REJECTED = "fichier rejeté : {fichiers}"
ABSENT_NOTHING = "aucun fichier reçu"

# --- confidentiality ---------------------------------------------------------------------------------
MASKED_WORD = "masqué"
PUBLISHED_WORD = "publié"
SECRET_COHERENCE_NOTE = ("publié une année et masqué l'autre : son évolution depuis {campagne} est masquée dans "
                         "l'édition publiée ; ne la publiez nulle part, elle révélerait la valeur masquée")

# --- the dashboard's counts ----------------------------------------------------------------------------
COUNT_LABELS = {"attendues": "attendues", "recues": "reçues", "acceptees": "acceptées sans avertissement",
                "averties": "acceptées avec avertissements", "rejetees": "rejetées", "a_departager": "à départager",
                "manquantes": "manquantes", "en_retard": "en retard"}
KEPT_SUBMISSION = "n° {n} du {date:d}"

# --- « Chiffres clés », the first page of consolidation.xlsx ------------------------------------------------
SHEET_KEY_FIGURES = "Chiffres clés"
KEY_TITLE = "Chiffres clés — effectifs de la branche au {date:d}"
KEY_BRANCH = "personnes travaillent dans la branche (effectif permanent)"
KEY_NV = "dont {n:pl:personne non ventilée|personnes non ventilées} dans les fiches métiers ({part:%1} de la branche)"
KEY_COMPANIES = "{n:pl:société consolidée|sociétés consolidées} sur {attendues} attendues"
KEY_REVIEWED = "{validees:pl:société validée|sociétés validées}, {provisoires:pl:provisoire|provisoires}"
KEY_ABSENT = "Non consolidées : {societes}"
KEY_GROUPS = "Répartition"
KEY_GROUP_HEADING = "Partie de la branche"
KEY_COUNT = "Effectif"
KEY_SHARE = "% de la branche"
KEY_COMPANIES_N = "Sociétés"
KEY_TOP = "Les {n} métiers les plus représentés"
KEY_NO_EVOLUTION = "Première campagne de l'historique : pas d'évolution à présenter."
KEY_EVOLUTION = "Évolution depuis la campagne {campagne}, à champ constant"
KEY_FAMILY = "Famille de métiers"
KEY_BRANCH_ROW = "Ensemble de la branche"
KEY_CHART_TITLE = "Effectifs par famille, mêmes sociétés les deux années"
KEY_COMMENTS = "{n:pl:commentaire|commentaires} des sociétés"
KEY_NO_COMMENTS = "Aucun commentaire des sociétés."
KEY_COMMENT = "{societe} : {texte}"
KEY_MORE_COMMENTS = "… et {n:pl:autre commentaire|autres commentaires} : feuille « {feuille} »."

# --- breakdowns and ETP in the template ---------------------------------------------------------------------
HEADING_ETP = "ETP au {date:d}"
HEADING_BREAKDOWNS = "Répartition de l'effectif de la ligne"
VALIDATION_ETP_TITLE = "Équivalents temps plein"
VALIDATION_ETP_PROMPT = "Nombre d'ETP, une décimale au plus (0 ou plus), jamais plus que l'effectif de la ligne."
VALIDATION_ETP_ERROR = ("Saisissez un nombre d'équivalents temps plein, 0 ou plus, avec une décimale au plus "
                        "(par exemple 12,5), sans dépasser l'effectif de la ligne.")
VALIDATION_BREAKDOWN_TITLE = "{ventilation}"
VALIDATION_BREAKDOWN_PROMPT = ("Nombre entier de personnes de cette catégorie. Les catégories de « {ventilation} » "
                               "s'additionnent à l'effectif de la ligne.")
INPUT_HELP_BREAKDOWNS = ("Pour chaque ligne, répartissez aussi l'effectif selon chaque ventilation demandée "
                         "({ventilations}) : les cellules de la ventilation deviennent rouges tant que leur somme "
                         "diffère de l'effectif de la ligne.")
INPUT_HELP_NR = " Quand la répartition n'est pas connue, utilisez la colonne « non renseigné » ({ventilations})."
INPUT_HELP_ETP = (" La colonne ETP compte les équivalents temps plein de la ligne (une décimale, au plus "
                  "l'effectif).")

# --- breakdowns and ETP in consolidation.xlsx -----------------------------------------------------------------
SHEET_BREAKDOWN = "Par {ventilation}"
BREAKDOWN_TITLE = "Effectifs par métier et par catégorie : {ventilation}"
BREAKDOWN_HEADCOUNT = "Effectif"
BREAKDOWN_SUBHEADINGS = ("Effectif", "% de la ligne", "Évolution")
BREAKDOWN_NOTE = ("% de la ligne : part de la catégorie dans l'effectif du métier (ou du total). Évolution : écart "
                  "avec la campagne précédente, à périmètre constant (les sociétés consolidées les deux fois).")
BREAKDOWN_NOTE_NO_EVOLUTION = ("% de la ligne : part de la catégorie dans l'effectif du métier (ou du total). La "
                               "campagne précédente ne demandait pas cette ventilation : pas d'évolution.")
SHEET_ETP = "ETP"
ETP_TITLE = "Équivalents temps plein par métier"
ETP_HEADINGS = ("Code", "Libellé", "Effectif", "ETP", "Effectif des lignes où les ETP sont donnés",
                "ETP / effectif de ces lignes")
ETP_NOTE = ("Les ETP ne sont pas obligatoires : une ligne où une société ne les a pas donnés ne compte ni dans les "
            "ETP, ni dans l'effectif auquel ils sont rapportés.")
SHEET_PYRAMID = "Pyramide des âges"
PYRAMID_TITLE = "Pyramide des âges par sexe : la branche, puis chaque famille"
PYRAMID_AGE = "Âge"
PYRAMID_CHART_TITLE = "Pyramide des âges — {titre}"
PYRAMID_SIDES = "{gauche} à gauche, {droite} à droite"  # under the chart: which side is which
PUBLISHED_BREAKDOWNS = ("Les répartitions par {ventilations} sont publiées sous les mêmes règles : chacune de leurs "
                        "cellules est une cellule comme les autres, et le tableau principal et ses répartitions sont "
                        "protégés ensemble (un effectif masqué ne se déduit pas de ses répartitions, ni une "
                        "répartition masquée du tableau principal). Le pourcentage d'une cellule est masqué avec elle "
                        "et avec l'effectif de sa ligne.")
PUBLISHED_BREAKDOWNS_EVOLUTION = ("L'évolution depuis la campagne précédente n'est donnée que pour l'effectif, pas "
                                  "pour les répartitions.")
PUBLISHED_CROSSED = ("La répartition croisée {croisement} n'est publiée que pour les familles, les groupes et la "
                     "branche : la feuille des pyramides des âges montre la branche et chaque famille, les données "
                     "ouvertes (diffusion.csv) aussi les groupes ; par métier, elle reste dans le classeur interne.")
ROUNDING_NOTE = ("Les pourcentages sont arrondis au centième chacun séparément : la somme de pourcentages arrondis peut "
                 "différer d'un centième de celui de leur total.")
PUBLISHED_NO_ETP = ("Les équivalents temps plein (ETP) ne sont pas publiés : toujours inférieurs ou égaux à "
                    "l'effectif de leur ligne, ils pourraient aider à encadrer un effectif masqué.")
BREAKDOWN_NOTE_PUBLIC = ("% de la ligne : part de la catégorie dans l'effectif du métier (ou du total). s : secret "
                         "statistique (voir la feuille « Note »).")
PYRAMID_MASKED = ("Pyramide non dessinée : des cellules de ce tableau sont masquées (secret statistique, voir la "
                  "feuille « Note »).")
