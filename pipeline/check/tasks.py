"""What the secretariat sorts out itself, rather than mailing it to a company.

A company's HR has no folder: two files of one company in the input folder, a file that is no return of a
company of the campaign, or one filled in a company's template but named after another company, are the
secretary's to settle. So is a company the e-mails cannot reach.
Entry point: :func:`secretary_tasks`.
"""

from __future__ import annotations

import pandas as pd

from ..core.models import DataFrame, Taches, validate
from ..core.vocab import Status, Task
from .batch import Checked
from .identity import NAME_OTHER, SET_ASIDE

DUPLICATE = "societe.plusieurs_fichiers"
TASK_COLUMNS = ["tache", "societe", "fichiers"]


def secretary_tasks(checked: Checked) -> DataFrame[Taches]:
    """One row per task: its kind (:class:`~pipeline.core.vocab.Task`), the company (identifier, or "" when
    none) and the files concerned."""
    campaign = checked.campaign
    rows = []
    doubt = checked.messages[checked.messages["code"] == DUPLICATE]
    for company, files in doubt.groupby("societe", sort=False)["fichier"]:
        rows.append((Task.SEVERAL_FILES, company, list(dict.fromkeys(files))))
    named, in_doubt = checked.messages[checked.messages["code"] == NAME_OTHER], set(doubt["fichier"])
    rows += [(Task.NAMED_OTHER, company, [name]) for name, company in zip(named["fichier"], named["societe"])
             if name not in in_doubt]  # one of two files of a company: said in that point (control.task_lines)
    known = campaign.company_ids
    stray = checked.fichiers[(checked.fichiers["statut"] != Status.IGNORED) & ~checked.fichiers["societe"].isin(known)]
    aside = checked.messages[checked.messages["code"] == SET_ASIDE]
    beside = dict(zip(aside["fichier"], (p["identifiant"] for p in aside["params"])))
    rows += [(Task.BESIDE, beside[name], [name]) if name in beside else (Task.NO_COMPANY, "", [name])
             for name in stray["fichier"]]
    to_reach = set(checked.fichiers.loc[checked.fichiers["statut"].isin([Status.REJECTED, Status.WARNED]), "societe"])
    for soc in campaign.societes.itertuples(index=False):
        if soc.identifiant in to_reach and not soc.email:
            rows.append((Task.NO_ADDRESS, soc.identifiant, []))
    return validate(Taches, pd.DataFrame(rows, columns=TASK_COLUMNS).astype({"tache": str, "societe": str}))
