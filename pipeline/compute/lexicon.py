"""The job-title lexicon in effect: the starter lexicon and the titles the history holds (validated by the
companies' reviews, or decided by the observatory), less what the observatory withdrew.

Entry points: :func:`effective` (one row per title and row key, with where it comes from), :func:`entries`
and :func:`decisions` (the frames the history stores: titles validated by one company in one campaign, the
observatory's decisions).

Rules: the observatory's word is final — a (title, code) it withdrew is ignored whatever its source, and a
title it placed on a code is ignored on any other code; titles are compared as written (the workbook the
observatory reviews lists them so).
"""

from __future__ import annotations

import pandas as pd

from ..core import models
from ..core.models import DataFrame
from ..core.models_titles import (
    DecisionsLexique,
    EntreesLexique,
    IntitulesCodes,
    Lexique,
)
from ..core.vocab import LexiconSource, LexiconStatus


def entries(titles: DataFrame[IntitulesCodes], company: str, campaign: str, when: str) -> DataFrame[Lexique]:
    """The lexicon rows of the titles a company validated in a review (intitule, cle): one per distinct title."""
    df = titles[["intitule", "cle"]].astype(str).assign(intitule=lambda d: d["intitule"].str.strip())
    df = df[df["intitule"] != ""].drop_duplicates("intitule", keep="last")
    df = df.assign(societe=company, campagne=campaign, source=str(LexiconSource.REVIEW),
                   statut=str(LexiconStatus.VALID), enregistre_le=when)
    return models.validate(Lexique, df.reset_index(drop=True))


def decisions(rows: DataFrame[DecisionsLexique], when: str) -> DataFrame[Lexique]:
    """The lexicon rows of the observatory's decisions (intitule, cle, statut)."""
    df = rows[["intitule", "cle", "statut"]].astype(str).drop_duplicates()
    df = df.assign(societe="", campagne="", source=str(LexiconSource.OBSERVATORY), enregistre_le=when)
    return models.validate(Lexique, df[list(Lexique.to_schema().columns)].reset_index(drop=True))


def effective(starter: DataFrame[IntitulesCodes], recorded: DataFrame[Lexique]) -> DataFrame[EntreesLexique]:
    """The lexicon in effect: the shipped proposals (``starter``) and what the history recorded."""
    recorded = recorded.assign(intitule=recorded["intitule"].astype(str).str.strip())
    observatory = recorded["source"] == LexiconSource.OBSERVATORY
    valid = recorded["statut"] == LexiconStatus.VALID
    withdrawn = set(zip(recorded.loc[observatory & ~valid, "intitule"], recorded.loc[observatory & ~valid, "cle"]))
    decided = dict(zip(recorded.loc[observatory & valid, "intitule"], recorded.loc[observatory & valid, "cle"]))
    rows = pd.concat([
        starter[["intitule", "cle"]].assign(intitule=lambda d: d["intitule"].str.strip(),
                                             source=str(LexiconSource.STARTER), societe="", campagne=""),
        recorded.loc[valid, ["intitule", "cle", "source", "societe", "campagne"]],
    ], ignore_index=True)
    keep = [(t, k) not in withdrawn and decided.get(t, k) == k for t, k in zip(rows["intitule"], rows["cle"])]
    rows = rows[keep]
    reviews = rows[rows["source"] == LexiconSource.REVIEW]
    out = []
    for (title, key), group in rows.groupby(["intitule", "cle"], sort=True):
        by_companies = reviews[(reviews["intitule"] == title) & (reviews["cle"] == key)]
        campaigns = sorted(set(by_companies["campagne"]) - {""})
        out.append(dict(intitule=title, cle=key, depart=bool((group["source"] == LexiconSource.STARTER).any()),
                        observatoire=bool((group["source"] == LexiconSource.OBSERVATORY).any()),
                        societes=int(by_companies["societe"].nunique()), campagnes=", ".join(campaigns)))
    columns = list(EntreesLexique.to_schema().columns)
    df = pd.DataFrame(out, columns=columns).astype({"depart": bool, "observatoire": bool, "societes": int})
    return models.validate(EntreesLexique, df)
