"""What the checks say, by stable code: the problem, what was expected, what to do.

Each entry is filled with the check's parameters (see :func:`pipeline.core.texts.fr` for the French
format specs). Tests assert codes; users read these texts in the control report, the return-to-sender
workbooks, the console and the web pages.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..columns import records
from . import fr


@dataclass(frozen=True)
class Entry:
    message: str
    attendu: str = ""
    action: str = ""


_FIXED_TEMPLATE = "repartez du modèle envoyé par le secrétariat"
_SAVE_XLSX = ("renvoyez le classeur lui-même, enregistré au format Excel (.xlsx) — et non son impression en PDF ou "
              "une image")
EXPECTED_FILE = "le modèle de la campagne rempli, au format Excel (.xlsx) ou LibreOffice (.ods)"
QUOTED = "« {texte} »"
NATURE_PDF = "c'est un PDF"
NATURE_IMAGE = "c'est une image"
NATURE_OTHER = "son contenu n'est pas reconnu, ou il est endommagé"
NO_EXTENSION = "sans extension"
UNREADABLE = "lecture impossible"
SIZE_MB = "{taille:n} Mo"
_WHOLE_OR_EMPTY = "un nombre entier de personnes (0 ou plus), ou une cellule vide pour 0"
_TYPE_WHOLE = "saisissez un nombre entier sans texte, ou videz la cellule"
EXPLAINED = " — expliqué en commentaire : « {texte} »"
FORMERLY = " (auparavant {codes})"  # a group of métiers whose codes changed: what its N−1 figure adds up
_YOY_EXPECTED = "une évolution cohérente avec celle de la branche, ou expliquée"
_YOY_TODO = "vérifiez l'effectif ; s'il est juste, expliquez l'évolution dans la colonne Commentaire de la ligne"

MESSAGES: dict[str, Entry] = {
    # --- the nomenclature (CSV files edited by the observatory) ----------------------------------
    "nomenclature.code_famille": Entry(
        "code de famille « {valeur} » invalide", "un code de famille de 2 chiffres (par exemple « 01 »)",
        "corrigez le code ; dans Excel, mettez la colonne au format Texte pour garder le zéro initial"),
    "nomenclature.code_metier": Entry(
        "code métier « {valeur} » invalide", "un code métier de 4 chiffres (par exemple « 0101 »)",
        "corrigez le code ; dans Excel, mettez la colonne au format Texte pour garder le zéro initial"),
    "nomenclature.code_prefixe_famille": Entry(
        "le code métier « {code} » ne commence pas par le code de sa famille « {famille} »",
        "un code métier dont les 2 premiers chiffres sont ceux de sa famille", "corrigez le code métier ou la famille"),
    "nomenclature.texte_requis": Entry("intitulé vide", "un intitulé non vide", "renseignez l'intitulé"),
    "field_uniqueness": Entry("la valeur « {valeur} » apparaît plusieurs fois", "un code unique par ligne",
                              "supprimez ou renumérotez le doublon"),

    # --- entries of the input folder that are not a workbook to read ------------------------------
    "entree.speciale": Entry("ce n'est pas un fichier ordinaire (lien cassé, tube ou périphérique) : il n'est pas lu",
                             EXPECTED_FILE, "remplacez-le par le classeur lui-même"),
    "entree.dossier": Entry("sous-dossier ignoré : seuls les fichiers déposés directement dans le dossier de la "
                            "campagne sont lus", "",
                            "rien à faire si vous y avez rangé des fichiers qui ne doivent plus compter (un ancien "
                            "fichier remplacé) ; sinon, déplacez les fichiers à lire directement dans le dossier de "
                            "la campagne"),
    "entree.verrou": Entry("fichier de verrouillage Office (créé pendant qu'un classeur est ouvert)", "",
                           "rien à faire ; fermez le classeur dans Excel ou LibreOffice avant de lancer le contrôle"),
    "societe.par_nom": Entry("fichier attribué à {societe} d'après son nom, son contenu ne pouvant pas le dire", "",
                             "rien de plus à faire que ce que demandent les autres messages"),
    "societe.nom_autre": Entry("le nom de ce fichier évoque {autre}, mais il a été rempli dans le modèle {societe:de}",
                               "", "vérifiez auprès {autre:de} avant de consolider (feuille « À régler »)"),
    "societe.par_nom_ecarte": Entry("fichier au nom du modèle de {societe}, dont le classeur est déjà dans le dossier",
                                    "", "retirez-le du dossier s'il n'en est qu'une impression ou une copie"),
    "entree.cachee": Entry("fichier caché ignoré", "", "rien à faire"),
    "entree.copie": Entry("copie identique de « {fichier} » (même contenu, octet pour octet) : elle n'est comptée "
                          "qu'une fois", "", "rien à faire ; vous pouvez la retirer du dossier"),
    "entree.systeme": Entry("fichier créé par le système (Windows ou macOS), ignoré", "", "rien à faire"),
    # .xls and .ods files are read since issue 13; these two codes stay for the messages the history kept.
    "entree.xls": Entry("ancien format Excel 97-2003 (.xls), non accepté", EXPECTED_FILE,
                        "ouvrez-le et enregistrez-le au format « Classeur Excel (.xlsx) »"),
    "entree.ods": Entry("format OpenDocument (.ods), non accepté", EXPECTED_FILE,
                        "dans LibreOffice : Fichier > Enregistrer sous > type « Excel 2007-365 (.xlsx) »"),
    "entree.csv": Entry("fichier CSV : les contrôles et l'identification du modèle sont impossibles", EXPECTED_FILE,
                        "renvoyez le classeur .xlsx du modèle rempli, et non un export CSV"),
    "entree.xlsm": Entry("classeur avec macros (.xlsm), refusé : les macros ne sont jamais exécutées", EXPECTED_FILE,
                         "enregistrez le classeur au format .xlsx (sans macros) et renvoyez-le"),
    "entree.inconnue": Entry("fichier « {extension} » non reconnu : seul le classeur du modèle (.xlsx ou .ods) est "
                             "accepté", EXPECTED_FILE, "renvoyez le modèle rempli, au format .xlsx ou .ods"),

    # --- the container ----------------------------------------------------------------------------
    "fichier.vide": Entry("fichier vide (0 octet)", EXPECTED_FILE,
                          "renvoyez le fichier rempli ; la copie a peut-être échoué"),
    "fichier.ole": Entry("fichier protégé par mot de passe (chiffré), ou ancien format .xls renommé en .xlsx",
                         EXPECTED_FILE, "retirez le mot de passe à l'ouverture (Fichier > Informations > Protéger le "
                         "classeur) et enregistrez au format .xlsx"),
    "fichier.chiffre": Entry("fichier protégé par mot de passe : son contenu est chiffré et ne peut pas être lu",
                             EXPECTED_FILE, "enregistrez-le sans mot de passe (Fichier > Enregistrer sous, sans cocher "
                             "« Enregistrer avec mot de passe ») et renvoyez-le"),
    "fichier.xls": Entry("ancien format Excel 97-2003 (.xls) : vos chiffres ont été lus et contrôlés, mais ce format "
                         "n'est pas accepté, car les formules, les erreurs de calcul et les formats des cellules ne "
                         "s'y vérifient pas", EXPECTED_FILE,
                         "enregistrez votre fichier au format « Classeur Excel (.xlsx) » puis renvoyez-le (le "
                         "classeur .xlsx joint à notre message de retour, si vous l'avez reçu, reprend déjà vos "
                         "chiffres)"),
    "fichier.xls_illisible": Entry("ancien format Excel 97-2003 (.xls) illisible : fichier endommagé, protégé par mot "
                                   "de passe, ou trop volumineux", EXPECTED_FILE,
                                   "ouvrez-le et enregistrez-le au format « Classeur Excel (.xlsx) », puis renvoyez-le"),
    "fichier.pas_zip": Entry("ce fichier n'est pas un classeur .xlsx : {nature}", EXPECTED_FILE, _SAVE_XLSX),
    "fichier.zip_illisible": Entry("classeur endommagé ou incomplet : son contenu est illisible (la copie ou l'envoi "
                                   "a peut-être été interrompu)", EXPECTED_FILE, _SAVE_XLSX),
    "fichier.volumineux": Entry("classeur refusé : son contenu décompressé est anormalement volumineux (fichier "
                                "piégé ou endommagé)", EXPECTED_FILE, "repartez du modèle d'origine et renvoyez-le"),
    "fichier.trop_gros": Entry("classeur refusé : le fichier pèse {taille}, bien plus qu'un modèle rempli",
                               EXPECTED_FILE, "repartez du modèle d'origine, sans image ni feuille ajoutée, et "
                               "renvoyez-le"),
    "fichier.macros": Entry("classeur avec macros, refusé : les macros ne sont jamais exécutées", EXPECTED_FILE,
                            "enregistrez le classeur au format .xlsx (sans macros) et renvoyez-le"),
    "fichier.pas_classeur": Entry("ce fichier n'est pas un classeur Excel (document Word ou archive renommé ?)",
                                  EXPECTED_FILE, _SAVE_XLSX),
    "fichier.xml_dangereux": Entry("classeur refusé : il contient des constructions XML dangereuses", EXPECTED_FILE,
                                   "repartez du modèle d'origine"),
    "fichier.illisible": Entry("fichier illisible ({erreur})", EXPECTED_FILE,
                               "repartez du modèle d'origine, enregistrez-le au format .xlsx et renvoyez-le"),
    "fichier.strict": Entry("classeur enregistré au format « Strict Open XML », que l'outil ne lit pas", EXPECTED_FILE,
                            "dans Excel : Fichier > Enregistrer sous, type « Classeur Excel (*.xlsx) » (et non « Feuille "
                            "de calcul Strict Open XML »), puis renvoyez-le"),
    "fichier.liaisons": Entry("le classeur contient des liaisons vers d'autres fichiers", "aucune liaison externe",
                              "remplacez les formules liées par des valeurs saisies"),

    # --- identity ---------------------------------------------------------------------------------
    "identite.absente": Entry("les informations d'identification du modèle sont absentes de ce classeur",
                              "le modèle envoyé par le secrétariat pour votre société",
                              "saisissez vos effectifs dans le modèle reçu, sans le copier dans un nouveau classeur"),
    "identite.campagne": Entry("ce classeur est le modèle de la campagne « {campagne} »",
                               "le modèle de la campagne « {attendue} »",
                               "remplissez le modèle de la campagne en cours, envoyé par le secrétariat"),
    "identite.format": Entry("ancienne version du modèle (format « {format} »)", "le modèle au format {attendu}",
                             "recopiez vos effectifs dans le modèle envoyé pour cette campagne"),
    "identite.nomenclature": Entry("ce modèle a été établi avec une autre version de la nomenclature des métiers",
                                   "la nomenclature {attendue} de la campagne",
                                   "recopiez vos effectifs dans le modèle envoyé pour cette campagne"),
    "identite.societe": Entry("société « {societe} » inconnue dans la campagne « {campagne} »",
                              "une société de la liste de la campagne",
                              "vérifiez la liste des sociétés du fichier de campagne, ou renvoyez le bon modèle"),

    # --- sheets and headings ----------------------------------------------------------------------
    "feuille.ajoutee": Entry("{n:w:feuille ajoutée|feuilles ajoutées} : {feuilles} ({n:w:non lue|non lues})",
                             "les seules feuilles du modèle", "reportez toute information utile dans la feuille "
                             "« {saisie} » (colonne Commentaire)"),
    "feuille.renommee": Entry("la feuille « {saisie} » a été renommée « {nom} »", "une feuille nommée « {saisie} »",
                              "ne renommez pas les feuilles du modèle"),
    "feuille.introuvable": Entry("feuille « {saisie} » introuvable (feuilles présentes : {presentes})",
                                 "la feuille « {saisie} » du modèle", _FIXED_TEMPLATE),
    "feuille.double": Entry("le classeur contient {n} feuilles nommées « {saisie} »", "une seule feuille « {saisie} »",
                            "supprimez la feuille en trop, ou repartez du modèle envoyé par le secrétariat"),
    "colonne.ajoutee": Entry("colonne « {entete} » ajoutée, non lue", "les seules colonnes du modèle",
                             "supprimez la colonne ajoutée ; les effectifs sont lus dans la colonne « {lue} »"),
    "colonne.ambigue": Entry("plusieurs colonnes peuvent contenir les effectifs ({entetes}) : impossible de savoir "
                             "laquelle lire", "une seule colonne « {attendue} »",
                             "supprimez la colonne ajoutée, ou repartez du modèle envoyé par le secrétariat"),
    "entete.introuvable": Entry("ligne d'en-tête introuvable (colonnes « Code » et « Effectif »)",
                                "l'en-tête du modèle", _FIXED_TEMPLATE),

    # --- rows -------------------------------------------------------------------------------------
    "ligne.introuvable": Entry("la ligne du code « {cle} » ({intitule}) est introuvable",
                               "toutes les lignes du modèle, avec leur code",
                               "rétablissez la ligne, avec son code, et saisissez-y l'effectif (0 si personne) ; "
                               "dans le classeur renvoyé par le secrétariat, elle est déjà rétablie"),
    "ligne.double": Entry("le code « {cle} » apparaît {n} fois ({cellules})", "chaque code une seule fois",
                          "supprimez la ligne en double"),
    "cellule.fusionnee": Entry("la cellule de l'effectif est fusionnée avec d'autres ({zone})", "une cellule par métier",
                               "annulez la fusion (Format > Fusionner) et saisissez chaque effectif"),
    "code.nombre": Entry("code saisi comme nombre ({valeur}) : lu comme « {cle} »", "le code « {cle} » en texte",
                         "ne modifiez pas la colonne Code"),
    "ligne.ajoutee_effectif": Entry(
        "ligne ajoutée hors du modèle avec un effectif ({contenu})",
        "des effectifs saisis uniquement sur les lignes des métiers du modèle",
        "reportez cet effectif sur le métier correspondant, ou sur la ligne NV (non ventilés) ; la ligne ajoutée "
        "n'est pas reprise dans le classeur renvoyé pour correction"),
    "ligne.ajoutee": Entry("ligne ajoutée hors du modèle, non prise en compte ({contenu})", "aucune ligne ajoutée",
                           "reportez ce texte dans la colonne Commentaire du métier concerné ; la ligne ajoutée "
                           "n'est pas reprise dans le classeur renvoyé pour correction"),
    "lignes.ajoutees_autres": Entry(
        "… et {n:pl:autre ligne ajoutée|autres lignes ajoutées} hors du modèle, non {n:w:détaillée|détaillées} "
        "({avec_effectif:pl:ligne ajoutée|lignes ajoutées} avec un effectif au total)",
        "aucune ligne ajoutée", "repartez du modèle d'origine"),
    "intitule.modifie": Entry("intitulé modifié : « {actuel} » au lieu de « {attendu} »", "les intitulés du modèle",
                              "l'effectif est pris pour le code {cle} ; si le métier ne convient pas, déplacez "
                              "l'effectif sur la bonne ligne"),
    "valeur.sur_titre": Entry("valeur {valeur} saisie sur une ligne de titre (« {intitule} ») : elle n'est pas prise "
                              "en compte", "des effectifs saisis uniquement dans les cellules jaunes ; les totaux "
                              "sont recalculés",
                              "reportez l'effectif sur la ligne du métier concerné et rétablissez le modèle"),
    "valeur.sur_total": Entry("valeur {valeur} saisie sur une ligne de total (« {intitule} ») : elle n'est pas prise "
                              "en compte", "des effectifs saisis uniquement dans les cellules jaunes ; les totaux "
                              "sont recalculés",
                              "reportez l'effectif sur la ligne du métier concerné et rétablissez le modèle"),
    "commentaire.nombre": Entry("un nombre ({valeur:v}) est saisi dans la colonne Commentaire de la ligne {cle} : il "
                                "n'est pas compté dans les effectifs",
                                "l'effectif dans la colonne Effectif (cellule {effectif}), un commentaire en texte",
                                "si c'est l'effectif de la ligne, déplacez-le dans la cellule {effectif} ; sinon, "
                                "écrivez le commentaire en toutes lettres (par exemple « dont 12 en CDD »)"),
    "commentaire.long": Entry("commentaire très long ({n:n} caractères) : seuls les {max:n} premiers sont conservés",
                              "un commentaire de {max:n} caractères au plus", "résumez le commentaire"),

    # --- values -----------------------------------------------------------------------------------
    "formule.liee": Entry("formule liée à un autre fichier ({formule}) : sa valeur enregistrée n'est pas utilisée",
                          "un nombre saisi", "remplacez la formule par le nombre de personnes"),
    "formule.sans_resultat": Entry("formule sans résultat numérique enregistré ({formule})", "un nombre saisi",
                                   "remplacez la formule par le nombre de personnes"),
    "formule.erreur": Entry("la formule {formule} donne une erreur ({erreur}) au lieu d'un nombre", "un nombre saisi",
                            "corrigez la formule, ou remplacez-la par le nombre de personnes"),
    "formule.retenue": Entry("formule saisie ({formule}) : sa valeur calculée {valeur} est retenue", "un nombre saisi",
                             "vérifiez la valeur, ou remplacez la formule par le nombre"),
    "valeur.texte_lu": Entry("nombre saisi comme texte (« {texte} ») : lu comme {valeur}", "un nombre",
                             "saisissez le nombre sans espace ni apostrophe, dans une cellule au format Nombre (et "
                             "non Texte)"),
    "valeur.pourcentage": Entry("cellule au format pourcentage : elle affiche {affiche} %, la valeur {valeur} est "
                                "retenue", "un nombre de personnes au format nombre",
                                "vérifiez l'effectif et remettez la cellule au format nombre"),
    "valeur.pourcentage_saisi": Entry("la cellule est au format pourcentage et affiche {affiche} % : un pourcentage "
                                      "a été saisi au lieu d'un nombre de personnes", "un nombre entier de personnes",
                                      "saisissez le nombre de personnes, et remettez la cellule au format nombre"),
    "valeur.texte": Entry("la valeur « {valeur} » n'est pas un nombre", _WHOLE_OR_EMPTY, _TYPE_WHOLE),
    "valeur.date": Entry("la cellule contient une date ({valeur}) et non un nombre", _WHOLE_OR_EMPTY, _TYPE_WHOLE),
    "valeur.logique": Entry("la cellule contient une valeur logique ({valeur}) et non un nombre", _WHOLE_OR_EMPTY,
                            _TYPE_WHOLE),
    "valeur.non_finie": Entry("la cellule contient une valeur numérique invalide ({valeur})", _WHOLE_OR_EMPTY,
                              "saisissez le nombre de personnes dans le tableur ; le fichier a peut-être été produit "
                              "par un autre logiciel"),
    "valeur.erreur": Entry("la cellule contient une erreur de formule ({valeur})", _WHOLE_OR_EMPTY, _TYPE_WHOLE),
    "valeur.decimale": Entry("la valeur {valeur} n'est pas un nombre entier", "un nombre entier de personnes",
                             "comptez chaque personne une fois, dans le métier où elle passe le plus de temps, sans "
                             "fraction ni équivalent temps plein"),
    "valeur.negative": Entry("la valeur {valeur} est négative", "un nombre entier de personnes, 0 ou plus",
                             "corrigez l'effectif"),
    "valeur.invraisemblable": Entry("la valeur {valeur} est invraisemblable pour une ligne d'une société",
                                    "un effectif d'au plus {max:n} personnes",
                                    "vérifiez la saisie (zéros en trop, collage d'une autre donnée)"),

    # --- breakdowns per métier and ETP --------------------------------------------------------------
    "valeur.decimale_etp": Entry("la valeur {valeur} a plus d'une décimale", "un nombre d'équivalents temps plein "
                                 "avec une décimale au plus (par exemple 12,5)", "arrondissez les ETP au dixième"),
    "ventilation.somme": Entry("ligne {cle} ({intitule}) : la ventilation « {ventilation} » ({cellules}) totalise "
                               "{somme:n} alors que l'effectif de la ligne est {personnes:n} (écart {ecart:s})",
                               "des catégories de « {ventilation} » qui s'additionnent à l'effectif de la ligne",
                               "corrigez la répartition ou l'effectif de la ligne"),
    "ventilation.vide": Entry("ligne {cle} ({intitule}) : la ventilation « {ventilation} » ({cellules}) est vide alors "
                              "que l'effectif de la ligne est {personnes:n}",
                              "la répartition des {personnes:n} personnes de la ligne selon « {ventilation} »",
                              "répartissez l'effectif de la ligne entre les catégories de « {ventilation} »"),
    "ventilation.croisement": Entry("ligne {cle} ({intitule}) : « {ventilation} » compte {somme:n} personnes "
                                    "« {categorie} » alors que la ventilation « {marge} » en compte {attendu:n}",
                                    "un tableau croisé cohérent avec les ventilations simples",
                                    "corrigez le tableau croisé ou la ventilation simple"),
    "etp.superieur": Entry("ligne {cle} ({intitule}) : {etp} ETP pour un effectif de {personnes:n} personnes",
                           "des équivalents temps plein au plus égaux à l'effectif de la ligne",
                           "corrigez les ETP ou l'effectif de la ligne"),
    "etp.vide": Entry("ligne {cle} ({intitule}) : les ETP ne sont pas renseignés pour un effectif de {personnes:n}",
                      "le nombre d'équivalents temps plein de la ligne", "saisissez les ETP de la ligne"),
    "ventilation.part": Entry("ligne {cle} ({intitule}) : la part « {categorie} » ({ventilation}) passe de "
                              "{avant} % à {apres} % depuis la campagne précédente{explication}",
                              "une répartition proche de celle de la campagne précédente (écart d'au plus {seuil} "
                              "points), ou expliquée", _YOY_TODO),

    # --- the declared total -----------------------------------------------------------------------
    "total.vide": Entry("l'effectif total déclaré (ligne {cle}) est vide",
                        "l'effectif permanent total de la société ; il doit valoir {somme:n} (ventilés {ventiles:n} + "
                        "non ventilés {non_ventiles:n})", "saisissez l'effectif total de la société"),
    "total.ecart": Entry("le total déclaré ({total:n}) ne correspond pas à la somme des effectifs saisis : ventilés "
                         "{ventiles:n} + non ventilés {non_ventiles:n} = {somme:n} (écart {ecart:s})",
                         "total déclaré = ventilés + non ventilés",
                         "corrigez la ventilation, les non ventilés ou le total déclaré"),
    "total.aucun_effectif": Entry("aucun effectif n'est saisi dans ce classeur", "le modèle rempli",
                                  "saisissez les effectifs puis renvoyez le fichier"),

    # --- the batch --------------------------------------------------------------------------------
    "societe.plusieurs_fichiers": Entry("plusieurs fichiers pour la société « {societe} » : celui-ci et {autres}",
                                        "un seul fichier par société",
                                        "retirez du dossier le fichier qui n'est pas le bon ; aucun des deux n'est "
                                        "utilisé d'ici là"),

    # --- year-over-year checks --------------------------------------------------------------------
    "evolution.total": Entry("effectif total déclaré : {avant:n} en {precedente}, {maintenant:n} maintenant "
                             "({part:%:s}){explication}", _YOY_EXPECTED, _YOY_TODO),
    "evolution.apparu": Entry("métier apparu : {libelle} compte {maintenant:pl:personne|personnes}, aucune en "
                              "{precedente}{explication}", _YOY_EXPECTED, _YOY_TODO),
    "evolution.disparu": Entry("métier disparu : {libelle} comptait {avant:pl:personne|personnes} en {precedente}, "
                               "aucune maintenant{explication}", _YOY_EXPECTED, _YOY_TODO),
    "evolution.inhabituelle": Entry("évolution inhabituelle : {libelle} passe de {avant:n} en {precedente} à "
                                    "{maintenant:n} ({part:%:s}){explication}", _YOY_EXPECTED, _YOY_TODO),
}


def render(code: str, params: dict | None = None, **where: str) -> tuple[str, str, str]:
    """(message, attendu, action) of a catalogue code, filled with its parameters; ``where`` (feuille,
    cellule, cle) can be named in a text too."""
    entry = MESSAGES[code]
    values = {**where, **(params or {})}
    return fr(entry.message, **values), fr(entry.attendu, **values), fr(entry.action, **values)


def rendered(messages: pd.DataFrame) -> pd.DataFrame:
    """A :class:`~pipeline.core.models.Messages` frame with its French texts: message, attendu, action."""
    texts = [render(m.code, m.params, feuille=m.feuille, cellule=m.cellule, cle=m.cle)
             for m in records(messages)]
    out = messages.copy()
    out["message"] = [t[0] for t in texts]
    out["attendu"] = [t[1] for t in texts]
    out["action"] = [t[2] for t in texts]
    return out
