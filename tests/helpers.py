"""Short ways for the tests to call the library as a user's script would."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.api import Project
from pipeline.check.batch import Checked
from pipeline.check.inputs import check_folder
from pipeline.compute.consolidation import Consolidation
from pipeline.compute.consolidation import consolidate as consolidate_figures
from pipeline.core.campaign import embedded_campaign_path
from pipeline.core.vocab import Status

ACCEPTED, WARNED, REJECTED, IGNORED = Status.ACCEPTED, Status.WARNED, Status.REJECTED, Status.IGNORED


class Ingested:
    """What the checks of an input folder found, with the messages in French (as users read them)."""

    def __init__(self, checked: Checked):
        self.checked = checked
        self.messages = checked.rendered_messages

    def __getattr__(self, name):
        return getattr(self.checked, name)


def ingest(campaign, root: str | Path = ".", folder: str | Path | None = None) -> Ingested:
    """Check the campaign's input folder (or ``folder``) without recording anything."""
    return Ingested(check_folder(campaign, Path(folder) if folder else campaign.inputs_dir(Path(root))))


def run_campaign(campaign, root: str | Path = ".", db: str | Path | None = None, consolidate_it: bool = False):
    project = Project(root, db)
    return project.consolidate(campaign) if consolidate_it else project.check(campaign)


def consolidate(result: Ingested | Checked) -> Consolidation:
    """The consolidation of the files just checked (no history)."""
    checked = result.checked if isinstance(result, Ingested) else result
    retenues = pd.DataFrame({"identifiant": checked.declarations["societe"], "fichier": checked.declarations["fichier"],
                             "soumission": range(1, len(checked.declarations) + 1), "recu_le": ""})
    return consolidate_figures(checked.campaign, checked.chiffres, retenues, checked.commentaires, checked.fichiers)


def project_2009(root: Path):
    """A project in ``root`` holding the demo's campaign 2009 (every breakdown, ETP) without its predecessor (no N−1
    reminder, no year-over-year check): (the project, the campaign)."""
    (root / "campagnes").mkdir()
    text = embedded_campaign_path("2009").read_text(encoding="utf-8").replace('precedente = "2007"\n', "")
    (root / "campagnes" / "2009.toml").write_text(text, encoding="utf-8")
    project = Project(root)
    return project, project.campaign("2009")
