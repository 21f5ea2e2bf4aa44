"""The open data's French texts: the title, description and licence of datapackage.json, and the description of
every field of diffusion.csv and metiers.csv."""

TITLE = "Effectifs de la branche Assistance par métier — {libelle}"
DESCRIPTION = (
    "Effectifs permanents des sociétés de la branche Assistance au {date:d}, par métier de la cartographie, "
    "emploi rattaché, famille et groupe de métiers, publiés par l'Observatoire des Métiers de l'Assistance. "
    "Les cellules couvertes par le secret statistique sont vides, et signalées par la colonne "
    "« effectif_secret » (de même pour le nombre de sociétés et l'évolution).")
TABLE_TITLE = "Effectifs par métier"
CODES_TITLE = "Nomenclature des métiers"
CODES_DESCRIPTION = "Les métiers de la cartographie avec leur famille et leur groupe de familles."
LICENSE = {"name": "etalab-2.0", "title": "Licence Ouverte / Open Licence version 2.0",
                    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence"}
PUBLISHER = "Observatoire des Métiers de l'Assistance"
FIELDS = {
    "campagne": ("Campagne", "Identifiant de la campagne d'actualisation."),
    "date_arrete": ("Date d'arrêté", "Date à laquelle les sociétés ont compté leurs effectifs."),
    "niveau": ("Niveau", "Ce que la ligne totalise : emploi (emploi rattaché d'un métier qui en a plusieurs), metier, "
                         "famille, groupe (groupe de familles), ventiles (total des métiers), non_ventiles "
                         "(effectifs sans fiche métier), branche (total de la branche)."),
    "code": ("Code", "Code du métier (4 chiffres), de l'emploi rattaché (code du métier, tiret, rang), de la "
                     "famille (2 chiffres) ou du groupe (I, II) ; NV pour les non ventilés ; vide pour les totaux."),
    "libelle": ("Intitulé", "Intitulé du métier, de l'emploi rattaché ou du total."),
    "code_famille": ("Famille", "Code de la famille de métiers de la ligne (vide pour les lignes qui totalisent "
                                "plusieurs familles)."),
    "mesure": ("Mesure", "Ce qui est compté : effectif (personnes)."),
    "categorie": ("Catégorie", "Sous-population comptée : tout (l'ensemble), ou une catégorie d'une répartition "
                               "sous la forme répartition=catégorie (sexe=femmes ; sexe=femmes&age=26-a-35-ans pour "
                               "une répartition croisée)."),
    "ventilation": ("Répartition", "Nom de la répartition de la catégorie, tel que le lisent les sociétés (Sexe, "
                                   "Âge…) ; vide pour l'ensemble (tout)."),
    "libelle_categorie": ("Intitulé de la catégorie", "Nom de la catégorie, tel que le lisent les sociétés "
                                                      "(Femmes, 26 à 35 ans…) ; vide pour l'ensemble (tout)."),
    "effectif": ("Effectif", "Nombre de personnes ; vide si la cellule est couverte par le secret statistique."),
    "effectif_secret": ("Effectif sous secret", "true quand l'effectif est masqué par le secret statistique."),
    "pourcentage": ("% de la branche", "Part de l'effectif de la branche dans la même catégorie, en % ; vide si "
                                       "l'effectif de la ligne est masqué, ou celui de la branche dans la même "
                                       "catégorie (le pourcentage le révélerait)."),
    "nb_societes": ("Nombre de sociétés", "Sociétés déclarant au moins une personne ; vide s'il n'est pas publié."),
    "nb_societes_secret": ("Nombre de sociétés sous secret", "true quand le nombre de sociétés n'est pas publié "
                                                             "(cellule masquée, ou nombre qui renseignerait sur "
                                                             "l'effectif d'une société)."),
    "effectif_precedent": ("Effectif de la campagne précédente", "Effectif comparable de la campagne précédente ; "
                                                                   "vide si non comparable ou masqué, et pour les "
                                                                   "emplois rattachés et les répartitions (l'évolution "
                                                                   "n'est publiée que pour l'effectif des métiers et "
                                                                   "des totaux)."),
    "evolution": ("Évolution", "Effectif moins effectif de la campagne précédente ; vide si non comparable ou masqué, "
                               "et pour les emplois rattachés et les répartitions."),
    "evolution_pct": ("Évolution %", "Évolution rapportée à l'effectif précédent, en % ; vide si non calculable ou "
                                     "masquée, et pour les emplois rattachés et les répartitions."),
    "evolution_secret": ("Évolution sous secret", "true quand l'effectif précédent ou l'évolution est masqué par le "
                                                  "secret statistique ; false quand ils sont publiés ou qu'il n'y en "
                                                  "a pas."),
    "code_metier": ("Code métier", "Code du métier (4 chiffres)."),
    "intitule_metier": ("Intitulé du métier", "Intitulé du métier."),
    "intitule_famille": ("Intitulé de la famille", "Intitulé de la famille de métiers."),
    "code_groupe": ("Code du groupe", "Numéro (I, II) du groupe de familles du métier : le code des lignes de "
                                      "niveau « groupe » de diffusion.csv."),
    "groupe": ("Groupe", "Groupe de familles de métiers."),
}
# The fields of metiers.csv whose description differs from diffusion.csv's field of the same name.
CODE_FIELDS = {"code_famille": ("Famille", "Code (2 chiffres) de la famille à laquelle appartient le "
                                                    "métier.")}
