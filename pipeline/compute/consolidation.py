"""A consolidation: the branch table of every company's latest accepted figures, with who is in it and
who is not, the evolution from the previous campaign and the protection of the published edition.

Entry point: :func:`consolidate`. The writers read the wide views below (table 1.4, the emplois of
section 1.7, the per-company matrix); the data itself stays long in :attr:`Consolidation.branch`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pandas as pd

from ..core.campaign import Campaign
from ..core.errors import UserError
from ..core.layout import input_rows
from ..core.models import Chiffres, CommentairesRetenus, DataFrame, Fichiers, Retenues
from ..core.models_review import Revues
from ..core.texts import console as C
from ..core.texts import fr
from ..core.texts import labels as L
from ..core.vocab import EFFECTIF, TOUT, Level, ReviewState
from .branch import Branch, branch_table
from .evolution import Evolution
from .secret import Protection


@dataclass(frozen=True)
class Consolidation:
    campaign: Campaign
    branch: Branch
    retenues: pd.DataFrame      # identifiant, raison_sociale, fichier, soumission, recu_le: the returns used
    absentes: pd.DataFrame      # identifiant, raison_sociale, motif: expected companies not consolidated
    commentaires: pd.DataFrame  # societe, cle, cellule, source, texte: what HR wrote beside their figures
    evolution: Evolution | None = None      # at constant scope: the companies consolidated both times
    evolution_raw: Evolution | None = None  # everything consolidated each time, whatever the companies
    protection: Protection | None = None
    revues: pd.DataFrame | None = None      # identifiant, validee, par, le per company consolidated; None when
                                            # the campaign has no review state (the workbooks then say nothing)

    @functools.cached_property
    def table(self) -> pd.DataFrame:
        """Table 1.4: niveau, code, libelle, code_famille, groupe, effectif, pourcentage, nb_societes."""
        return self.branch.wide()

    @functools.cached_property
    def emplois(self) -> pd.DataFrame:
        """Section 1.7: every row to fill of every métier (its only emploi is the métier itself)."""
        wide = self.branch.wide(emplois=True).set_index(["niveau", "code"])
        lignes = self.campaign.nomenclature.lignes
        rows = []
        for ligne in lignes.itertuples(index=False):
            key = (Level.EMPLOI, ligne.cle) if ligne.rang_emploi else (Level.METIER, ligne.code_metier)
            cell = wide.loc[(str(key[0]), key[1])]
            rows.append(dict(cle=ligne.cle, code_metier=ligne.code_metier, rang_emploi=int(ligne.rang_emploi),
                             intitule_emploi=ligne.intitule_emploi, effectif=int(cell["effectif"]),
                             pourcentage=float(cell["pourcentage"]), nb_societes=int(cell["nb_societes"])))
        return pd.DataFrame(rows)

    @functools.cached_property
    def par_societe(self) -> pd.DataFrame:
        """Each company's headcount per row of table 1.4 (index: niveau, code)."""
        return self.branch.matrix()

    @functools.cached_property
    def evolution_rows(self) -> pd.DataFrame | None:
        """At constant scope: effectif (N of the companies compared), effectif_n1, variation, variation_pct,
        note, aligned on :attr:`table`."""
        return self._aligned(self.evolution)

    @functools.cached_property
    def evolution_raw_rows(self) -> pd.DataFrame | None:
        """The raw comparison, same columns."""
        return self._aligned(self.evolution_raw)

    def _aligned(self, evolution: Evolution | None) -> pd.DataFrame | None:
        if evolution is None:
            return None
        index = pd.MultiIndex.from_frame(self.table[["niveau", "code"]])
        return evolution.wide().reindex(index).reset_index(drop=True)

    @property
    def total(self) -> int:
        return int(self.branch.total())


def consolidate(campaign: Campaign, chiffres: DataFrame[Chiffres], retenues: DataFrame[Retenues],
                commentaires: DataFrame[CommentairesRetenus], fichiers: DataFrame[Fichiers],
                revues: DataFrame[Revues] | None = None) -> Consolidation:
    """The consolidation of every company's latest accepted figures (``retenues``: the submissions used);
    ``fichiers``: the entries of the input folder now, to say why an expected company is missing;
    ``revues``: each company's current review state (none recorded: None or empty, nothing said).
    """
    if retenues.empty:
        raise UserError(C.NOTHING_TO_CONSOLIDATE, [C.NOTHING_TO_CONSOLIDATE_HELP])
    _known_rows(campaign, chiffres)
    branch = branch_table(campaign.nomenclature, chiffres)
    retenues = retenues[["identifiant", "fichier", "soumission", "recu_le"]].copy()
    retenues.insert(1, "raison_sociale", retenues["identifiant"].map(campaign.names))
    files_of = fichiers[fichiers["societe"] != ""].groupby("societe")["fichier"].agg(list)
    consolidated = set(retenues["identifiant"])
    absentes = []
    for soc in campaign.societes.itertuples(index=False):
        if soc.identifiant in consolidated:
            continue
        files = files_of.get(soc.identifiant, [])
        motif = fr(L.ABSENT_REJECTED, fichiers=", ".join(files)) if files else L.ABSENT_NOTHING
        absentes.append(dict(identifiant=soc.identifiant, raison_sociale=soc.raison_sociale, motif=motif))
    return Consolidation(campaign, branch, retenues.reset_index(drop=True),
                         pd.DataFrame(absentes, columns=["identifiant", "raison_sociale", "motif"]),
                         commentaires.reset_index(drop=True), revues=reviewed(retenues, revues))


def _known_rows(campaign: Campaign, chiffres: DataFrame[Chiffres]) -> None:
    """Refuse (UserError) figures on rows the campaign's nomenclature no longer has: accepted before the nomenclature
    was edited (a code changed), they would drop out of the branch table without a word (zeros lose nothing)."""
    unknown = chiffres[~chiffres["cle"].isin(set(input_rows(campaign.nomenclature))) & (chiffres["valeur"] != 0)]
    if unknown.empty:
        return
    lines = [fr(C.UNKNOWN_ROWS_COMPANY, societe=campaign.raison_sociale(societe),
                lignes=", ".join(sorted(set(own["cle"]))),
                personnes=int(own.loc[(own["mesure"] == EFFECTIF) & (own["categorie"] == TOUT), "valeur"].sum()))
             for societe, own in unknown.groupby("societe", sort=True)]
    raise UserError(fr(C.UNKNOWN_ROWS, n=unknown["societe"].nunique(), campagne=campaign.identifiant),
                    [*lines, C.UNKNOWN_ROWS_HELP])


def reviewed(retenues: pd.DataFrame, revues: pd.DataFrame | None) -> pd.DataFrame | None:
    """Per submission used: validated (its company's last state is « validé », given to this very submission)
    or provisional; None when no review state exists."""
    if revues is None or revues.empty:
        return None
    state = revues.set_index("identifiant").reindex(retenues["identifiant"])
    validee = (state["etat"] == ReviewState.VALIDATED).to_numpy() & (
        state["soumission"].isna().to_numpy() | (state["soumission"].to_numpy() == retenues["soumission"].to_numpy()))
    return pd.DataFrame({"identifiant": retenues["identifiant"].to_numpy(), "validee": validee,
                         "par": state["par"].where(validee, "").fillna("").to_numpy(),
                         "le": state["le"].where(validee, "").fillna("").to_numpy()})


def published_groups(c: Consolidation) -> pd.DataFrame:
    """The groups of métiers (splits, merges…) the published edition compares, edition to edition: those whose every
    métier is published in this edition and in the previous one (their sums then reveal nothing the two editions do
    not show)."""
    groups = c.evolution_raw.groups
    if c.protection is None:
        return groups.iloc[0:0]
    masked, before = c.protection.masked, c.protection.previous_masked
    keep = [not any((str(Level.METIER), code) in masked for code in now) and
            not any((str(Level.METIER), code) in before for code in previous)
            for now, previous in zip(groups["actuels"], groups["precedents"])]
    return groups[pd.Series(keep, index=groups.index, dtype=bool)]
