"""How well the job-title assistant does, measured (``effectifs rapprocher --evaluer``).

The evaluation set (:func:`pipeline.core.titles.load_evaluation_set`) holds titles written as HR systems
write them, by fictional company, labelled from the métier definitions, and held out from the starter
lexicon and the table of abbreviations. Measured, at the métier level:

- the share of titles given a *confident* proposal, the share of those that are right, and the share of
  all titles confidently wrong — with the nomenclature alone, then adding the table, then the starter
  lexicon (the tool as shipped), so that what each part brings is visible;
- the share pre-filled (strong evidence) and how many of those are wrong;
- learning: one company's titles validated (as HR would, with their right codes) and added to the
  lexicon, then the titles of each other company proposed — for every ordered pair of companies; and
  cumulated: every other company's titles validated, then the titles of the last one proposed;
- a control set written after the tuning (thresholds, table, starter lexicon) and measured as it is;
- a regression set of titles worded like the nomenclature (gender, seniority, word order).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..core.nomenclature import Nomenclature
from .lexicon import effective, entries
from .matching import Matcher

EMPTY_HISTORY = pd.DataFrame(columns=["intitule", "cle", "societe", "campagne", "source", "statut", "enregistre_le"])
LEARNING_CAMPAIGN = "test"


@dataclass(frozen=True)
class Evaluation:
    steps: pd.DataFrame      # etape, titres, confiants, justes, erreurs, preremplis, preremplis_faux
    detail: pd.DataFrame     # the tool as shipped: societe, intitule, attendu, propose, confiant, juste, prerempli
    learning: pd.DataFrame   # validee, evaluee, titres, confiants, justes, erreurs, avant (confident before)
    cumulative: pd.DataFrame  # evaluee, titres, confiants, justes, erreurs, avant: all the other companies validated
    control: pd.DataFrame    # the control set's detail, the tool as shipped
    variants: pd.DataFrame   # the regression set's detail


def _code(key: str) -> str:
    return key.split("-")[0]


def measure(matcher: Matcher, titles: pd.DataFrame) -> pd.DataFrame:
    """One row per title: what was proposed, and whether it is the right métier."""
    rows = []
    for t in titles.itertuples(index=False):
        p = matcher.propose(t.intitule)
        rows.append(dict(societe=getattr(t, "societe", ""), intitule=t.intitule, attendu=t.cle, propose=p.cle,
                         confiant=p.confident, juste=bool(p.cle) and _code(p.cle) == _code(t.cle),
                         prerempli=p.strong, pourquoi=p.why, a_verifier=p.flag))
    return pd.DataFrame(rows)


def summary(detail: pd.DataFrame) -> dict:
    confident = detail[detail["confiant"]]
    filled = detail[detail["prerempli"]]
    n = len(detail)
    return dict(titres=n, confiants=len(confident) / n if n else 0.0,
                justes=float(confident["juste"].mean()) if len(confident) else 0.0,
                erreurs=float((~confident["juste"]).sum() / n) if n else 0.0,
                preremplis=len(filled) / n if n else 0.0, preremplis_faux=int((~filled["juste"]).sum()))


def evaluate(nomenclature: Nomenclature, table: pd.DataFrame, starter: pd.DataFrame, titles: pd.DataFrame,
             control: pd.DataFrame, variants: pd.DataFrame) -> Evaluation:
    """``titles``, ``control``: societe, intitule, cle (the evaluation and control sets); ``variants``: intitule,
    cle."""
    shipped_lexicon = effective(starter, EMPTY_HISTORY)
    steps = {"nomenclature": Matcher(nomenclature), "abreviations": Matcher(nomenclature, table),
             "lexique": Matcher(nomenclature, table, shipped_lexicon)}
    details = {name: measure(m, titles) for name, m in steps.items()}
    shipped = details["lexique"]
    learning = []
    for validated, own in titles.groupby("societe", sort=False):
        history = entries(own, validated, LEARNING_CAMPAIGN, "")
        matcher = Matcher(nomenclature, table, effective(starter, history))
        for other, theirs in titles.groupby("societe", sort=False):
            if other == validated:
                continue
            after = summary(measure(matcher, theirs))
            before = summary(shipped[shipped["societe"] == other])
            learning.append(dict(validee=validated, evaluee=other, titres=len(theirs), confiants=after["confiants"],
                                 justes=after["justes"], erreurs=after["erreurs"], avant=before["confiants"]))
    cumulative = []
    for other, theirs in titles.groupby("societe", sort=False):
        history = pd.concat([entries(own, validated, LEARNING_CAMPAIGN, "")
                             for validated, own in titles.groupby("societe", sort=False) if validated != other])
        after = summary(measure(Matcher(nomenclature, table, effective(starter, history)), theirs))
        before = summary(shipped[shipped["societe"] == other])
        cumulative.append(dict(evaluee=other, titres=len(theirs), confiants=after["confiants"], justes=after["justes"],
                               erreurs=after["erreurs"], avant=before["confiants"]))
    return Evaluation(pd.DataFrame([dict(etape=k, **summary(d)) for k, d in details.items()]), shipped,
                      pd.DataFrame(learning), pd.DataFrame(cumulative), measure(steps["lexique"], control),
                      measure(steps["lexique"], variants))
