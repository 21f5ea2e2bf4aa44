"""Where a campaign stands: per expected company, what was received, accepted, late or missing.

Entry points: :func:`campaign_status` (from the history's submissions), :func:`counts`, :func:`to_chase`
and :func:`by_urgency`.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

import pandas as pd

from ..core import models
from ..core.campaign import Campaign
from ..core.models import DataFrame
from ..core.texts import fr
from ..core.texts import labels as L
from ..core.vocab import CompanyState, Status

COLUMNS = list(models.Suivi.to_schema().columns)


def campaign_status(campaign: Campaign, submissions: DataFrame[models.Soumissions],
                    latest: DataFrame[models.Soumissions], today: dt.date | None = None,
                    pending: dict[str, dict[str, tuple[str, str]]] | None = None) -> DataFrame[models.Suivi]:
    """One row per expected company (:class:`~pipeline.core.models.Suivi`).

    ``submissions``: every submission of the campaign in arrival order; ``latest``: the accepted
    submission each company's figures come from; ``pending``: company -> its files waiting for a duplicate to be
    removed -> (when the tool first saw it, ISO, "" if unknown; its sha256). Such files date the company as its
    submissions do: « Reçu le » is its latest arrival, and it is late only if its first file came after the deadline;
    one already recorded (an accepted file beside which another arrived) is counted once among the files received.
    """
    today = today or dt.date.today()
    pending = pending or {}
    kept_of = latest.set_index("societe")
    subs_of = dict(tuple(submissions.groupby("societe", sort=False)))
    rows = []
    for soc in campaign.societes.itertuples(index=False):
        own = subs_of.get(soc.identifiant, submissions.iloc[0:0])
        last = own.iloc[-1] if len(own) else None
        kept = kept_of.loc[soc.identifiant] if soc.identifiant in kept_of.index else None
        if soc.identifiant in pending:
            state = CompanyState.PENDING
        elif last is None:
            state = CompanyState.MISSING
        elif last["statut"] == Status.REJECTED and kept is not None:
            state = CompanyState.REJECTED_KEPT
        else:
            state = CompanyState(last["statut"])
        # Late: the company's first file arrived after the deadline, or nothing has arrived and it is past.
        held = pending.get(soc.identifiant, {})
        held_seen = [seen for seen, _ in held.values() if seen]
        arrivals = sorted([*own["recu_le"], *held_seen])
        first = dt.datetime.fromisoformat(arrivals[0]) if arrivals else None
        late = (first.date() > campaign.date_limite) if first else today > campaign.date_limite
        rows.append(dict(
            identifiant=soc.identifiant, raison_sociale=soc.raison_sociale, statut=str(state),
            fichiers_recus=len(own) + len({sha for _, sha in held.values()} - set(own["sha256"])),
            dernier_fichier=", ".join(held) if held else (last["fichier"] if last is not None else ""),
            recu_le=max(held_seen, default="") or (last["recu_le"] if last is not None else ""),
            en_retard=bool(late),
            soumission_retenue=fr(L.KEPT_SUBMISSION, n=int(kept["id"]), date=dt.datetime.fromisoformat(kept["recu_le"]))
            if kept is not None else "",
            contact=soc.contact, email=soc.email,
        ))
    return models.validate(models.Suivi, pd.DataFrame(rows, columns=COLUMNS).astype({"fichiers_recus": int,
                                                                                     "en_retard": bool}))


def counts(status: DataFrame[models.Suivi]) -> dict[str, int]:
    """How many companies stand where (keys: the French labels users read, before « : n »)."""
    return {L.COUNT_LABELS[k]: v for k, v in state_counts(status).items()}


def state_counts(status: DataFrame[models.Suivi]) -> dict[str, int]:
    """How many companies stand where (keys: those of :data:`~pipeline.core.texts.labels.COUNT_LABELS`)."""
    s = status["statut"]
    return {
        "attendues": len(status),
        "recues": int((s != CompanyState.MISSING).sum()),
        "acceptees": int((s == CompanyState.ACCEPTED).sum()),
        "averties": int((s == CompanyState.WARNED).sum()),
        "rejetees": int(s.isin([CompanyState.REJECTED, CompanyState.REJECTED_KEPT]).sum()),
        "a_departager": int((s == CompanyState.PENDING).sum()),
        "manquantes": int((s == CompanyState.MISSING).sum()),
        "en_retard": int(status["en_retard"].sum()),
    }


TO_CHASE = (CompanyState.MISSING, CompanyState.REJECTED, CompanyState.REJECTED_KEPT)
# The dashboard's order: what needs doing first, then the companies whose figures are in.
URGENCY = (*TO_CHASE, CompanyState.PENDING, CompanyState.WARNED, CompanyState.ACCEPTED)


def by_urgency(status: DataFrame[models.Suivi]) -> DataFrame[models.Suivi]:
    """The companies in the order the dashboard reads best: by state (to chase first), then by name
    (letter case and accents ignored)."""
    rank = {str(state): i for i, state in enumerate(URGENCY)}
    key = status.assign(_rang=status["statut"].map(rank), _nom=status["raison_sociale"].map(sort_key))
    return key.sort_values(["_rang", "_nom"], kind="stable").drop(columns=["_rang", "_nom"]).reset_index(drop=True)


def sort_key(name: str) -> str:
    """A company name as the alphabetical order sees it: « Étoile » between « Eta » and « Eux »."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().casefold()


def incomplete(status: DataFrame[models.Suivi]) -> bool:
    """Some company is still to chase, or has two files for the secretary to sort out."""
    return bool(len(to_chase(status))) or bool((status["statut"] == CompanyState.PENDING).any())


def to_chase(status: DataFrame[models.Suivi]) -> DataFrame[models.Suivi]:
    """Companies to remind: nothing received, or their latest file rejected. (Two files of one company in the
    folder are the secretary's to sort out: no reminder.)"""
    return status[status["statut"].isin([str(s) for s in TO_CHASE])]
