"""What the web front (``effectifs serve``) says outside its page templates, and its commands' texts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from . import fr

# --- the commands ----------------------------------------------------------------------------------
HELP_SERVE = ("Lance le site web de la campagne : le tableau de bord du secrétariat (avec connexion) et la page "
              "privée de chaque société. Il écoute sur 127.0.0.1 par défaut ; derrière un proxy inverse (HTTPS), "
              "indiquez --chemin-racine et --proxy.")
HELP_SERVE_SHORT = "Lancer le site web de la campagne."
HELP_HOST = "Adresse d'écoute (127.0.0.1 par défaut : cette machine seulement)."
HELP_PORT = "Port d'écoute (8000 par défaut)."
HELP_ROOT_PATH = "Chemin sous lequel le proxy inverse publie le site, par exemple /effectifs."
HELP_PROXY = ("Adresses des proxys inverses dont on croit les en-têtes X-Forwarded-For et X-Forwarded-Proto "
              "(séparées par des virgules), par exemple 127.0.0.1.")
HELP_SECURE = "Cookies réservés au HTTPS (à mettre dès que le site est servi en HTTPS)."
HELP_WORKERS = ("Nombre de processus qui répondent aux visiteurs (1 par défaut) ; un par cœur de la machine pour que "
                "plusieurs dépôts simultanés soient contrôlés en parallèle.")
HELP_PASSWORD = "Définit le mot de passe d'un compte du secrétariat pour le site web (demandé sans l'afficher)."
HELP_PASSWORD_SHORT = "Définir le mot de passe du site web."
HELP_USER = "Nom du compte (« secretariat » par défaut)."
HELP_LINKS = ("Crée le lien privé de chaque société pour la campagne (un nouveau lien remplace l'ancien) et "
              "l'écrit dans un fichier lisible par vous seul, à joindre aux courriels d'envoi.")
HELP_LINKS_SHORT = "Créer les liens privés des sociétés."
HELP_BASE_URL = "Adresse publique du site, par exemple https://intranet.example/effectifs."
HELP_REVOKE = "Révoque le lien de cette société (identifiant) au lieu d'en créer."
HELP_EXPIRES = "Date d'expiration des liens (par défaut : 60 jours après la date limite)."
PASSWORD_PROMPT = "Mot de passe"
PASSWORD_SET = "Mot de passe du compte « {nom} » enregistré (haché) dans l'historique {chemin}."
PASSWORD_SHORT = "Le mot de passe doit compter au moins {n} caractères."
PASSWORD_NONE = ("Aucun mot de passe saisi : lancez la commande dans un terminal pour le taper, ou donnez-le dans "
                 "la variable d'environnement EFFECTIFS_MOT_DE_PASSE.")
LINKS_WRITTEN = "{n:pl:lien privé créé|liens privés créés}, valables jusqu'au {date:d} : {chemin}"
LINKS_EXPIRED = ("Attention : cette date est passée, ces liens n'ouvrent déjà plus rien. Donnez une date à venir avec "
                 "--expire JJ/MM/AAAA.")
LINKS_KEEP = "Ce fichier contient les liens en clair : ne le partagez pas, envoyez à chaque société le sien."
LINKS_IN_MAILS = "Courriels d'envoi réécrits avec le lien de chaque société : {chemin}"
LINK_REVOKED = "{n:pl:lien révoqué|liens révoqués} pour la société {societe}."
LOG_REVIEW = "{etat} : « {commentaire} »"  # the journal's detail of a review with a comment
UNKNOWN_COMPANY = "Société inconnue dans la campagne {campagne} : {societe}"
SERVING = "Site web de la campagne {campagne} : http://{hote}:{port}{racine}/ (Ctrl+C pour arrêter)"
NO_PASSWORD = "Aucun compte du secrétariat : définissez un mot de passe avec « effectifs mot-de-passe »."

# --- the pages' messages ---------------------------------------------------------------------------
LOGIN_FAILED = "Nom ou mot de passe incorrect."
LOGGED_OUT = "Vous êtes déconnecté."
CSRF_FAILED = ("Le formulaire a expiré ou ne vient pas de ce site. Rechargez la page et recommencez.")
TOO_LARGE = "Fichier trop volumineux : {taille} au plus par envoi."
NO_FILE = "Choisissez un fichier à envoyer."
TOO_MANY_FILES = "Trop de fichiers d'un coup : {n} au plus."
RECEIVED = ("{n:pl:fichier enregistré|fichiers enregistrés} dans le dossier des retours, puis "
            "{n:w:contrôlé|contrôlés} : {noms}.")
CHECKED = "Fichiers reçus contrôlés."
TASKS_WAITING = ("{n:pl:point reste|points restent} à régler par le secrétariat (deux fichiers pour une société, un "
                 "fichier d'aucune société…) : le rapport de contrôle les détaille, feuille « {feuille} ».")
CONSOLIDATED = "Consolidation faite."
CONSOLIDATION_EMPTY = "Aucune soumission acceptée : rien à consolider."
STATUS_WRITTEN = "Tableau de suivi et relances à jour."
REVIEW_DONE = "{societe} : {etat}."
REVIEW_NEEDS_ACCEPTED = "{societe} n'a pas de soumission acceptée à valider."
REVIEW_NEEDS_SENT = ("{societe} n'a pas de soumission acceptée : rien à lui renvoyer (un fichier refusé lui est "
                     "expliqué dès son dépôt, problème par problème).")
REVIEW_NEEDS_COMMENT = "Écrivez ce que la société doit corriger."
NOT_FOUND = "Page introuvable."
FILE_NOT_READY = "Ce fichier n'a pas encore été produit."
LINK_UNKNOWN = "Ce lien n'est pas valable. Vérifiez qu'il a été copié en entier, ou demandez-en un au secrétariat."
LINK_REVOKED_PAGE = "Ce lien a été remplacé ou révoqué. Demandez le nouveau au secrétariat."
LINK_EXPIRED = "Ce lien a expiré : la campagne est close. Pour toute question, écrivez au secrétariat."
INTERNAL = "Une erreur inattendue s'est produite. Réessayez ; si elle se reproduit, prévenez le secrétariat."
OTHER_COMPANY = ("Ce fichier est le modèle d'une autre société ({autre}). Déposez le vôtre : téléchargez-le "
                 "ci-dessous si besoin.")
LOCKED_WAITING = ("Vos chiffres ont été validés par le secrétariat : ce nouveau fichier est accepté par les contrôles "
                  "mais attend que le secrétariat rouvre votre dossier.")
SUBMITTED = "Fichier accepté : c'est votre soumission, reçue le {date:dt}."
SUBMITTED_SAME = "Ce fichier est identique à votre dernière soumission : rien n'a changé."
SUBMITTED_RESTORED = ("Fichier accepté : il est identique à une soumission que vous aviez déjà envoyée, qui redevient "
                      "celle qui compte, à la place du fichier déposé depuis.")
REJECTED = "Fichier refusé : corrigez les problèmes ci-dessous, puis déposez-le de nouveau."
WEB_REFUSED_SHORT = "dépôt en ligne refusé le {date:d} à {heure}"
WEB_REFUSED = "dépôt en ligne refusé le {date:d} à {heure} : {n:pl:erreur|erreurs}"
WEB_REFUSED_OTHER = "dépôt en ligne refusé le {date:d} à {heure} : le fichier était le modèle d'une autre société ({autre})"
COUNT_WEB_REFUSED = "avec un dépôt en ligne refusé"  # companies, like the other counts
WHO_COMPANY = "la société, sur sa page privée"  # the journal's « Qui » of a company's upload
LOG_OTHER_COMPANY = "{statut} : le modèle d'une autre société ({autre})"  # the journal's detail of such an upload
# The dashboard's counts, each after its number (« 1 reçue », « 3 reçues »): keys of labels.COUNT_LABELS.
COUNT_WORDS = {"attendues": "{n:w:attendue|attendues}", "recues": "{n:w:reçue|reçues}",
               "acceptees": "{n:w:acceptée sans avertissement|acceptées sans avertissement}",
               "averties": "{n:w:acceptée avec avertissements|acceptées avec avertissements}",
               "rejetees": "{n:w:rejetée|rejetées}", "a_departager": "à départager",
               "manquantes": "{n:w:manquante|manquantes}", "en_retard": "en retard"}

REVIEW_LABELS = {"validé": "validé (verrouillé)", "renvoyé": "renvoyé à la société", "rouvert": "rouvert"}
EVENT_LABELS = {"connexion": "connexion", "connexion refusée": "connexion refusée", "déconnexion": "déconnexion",
                "dépôt": "dépôt", "dépôt en attente": "dépôt en attente", "fichier reçu par courriel":
                "fichier reçu par courriel", "lien refusé": "lien refusé", "revue": "revue"}

# The dashboard's summary of a company's last file's messages, by severity (« 1 erreur, 2 avertissements »): an
# information is not a problem, and a file accepted without warning may have one.
SEVERITY_COUNTS = {"erreur": "{n:pl:erreur|erreurs}", "avertissement": "{n:pl:avertissement|avertissements}",
                   "information": "{n:pl:information|informations}"}


def severity_counts(severities: Iterable[str]) -> str:
    """« 1 erreur, 1 information »: how many messages of each severity, the most serious first."""
    n = Counter(severities)
    return ", ".join(fr(text, n=n[severity]) for severity, text in SEVERITY_COUNTS.items() if n[severity])
