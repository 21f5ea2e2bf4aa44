"""The secretary most likely works on Windows, in folders such as « Mes documents/Campagne 2026 »: a project
folder, campaign file and returns whose names hold spaces and accents work through every command, run as a
user runs them (the installed ``effectifs`` command, in the project's folder)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl

from pipeline.core.campaign import embedded_campaign_path
from pipeline.core.form import SHEET_INPUT
from pipeline.demo import sample_figures
from pipeline.core.campaign import load_campaign
from tests.conftest import row_of

EFFECTIFS = Path(sys.executable).with_name("effectifs")


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("EFFECTIFS_RACINE", None)
    return subprocess.run([str(EFFECTIFS), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_a_project_in_a_folder_with_spaces_and_accents(tmp_path):
    root = tmp_path / "Mes documents" / "Campagne 2026 — Sécurité été"
    (root / "campagnes").mkdir(parents=True)
    text = embedded_campaign_path("2007").read_text(encoding="utf-8")
    (root / "campagnes" / "campagne d'été 2007.toml").write_text(text, encoding="utf-8")
    out = _run(root, "modeles", "-c", "campagnes/campagne d'été 2007.toml", "--forcer")
    assert out.returncode == 0, out.stderr
    campaign = load_campaign("2007", root)
    templates = campaign.templates_dir(root)
    figures = sample_figures(campaign)
    inbox = campaign.inputs_dir(root)
    inbox.mkdir(parents=True, exist_ok=True)  # modeles made it
    for soc in campaign.societes.itertuples(index=False):
        wb = openpyxl.load_workbook(templates / soc.fichier)
        ws = wb[SHEET_INPUT]
        for key, v in figures[soc.identifiant].items():
            ws.cell(row_of(ws, key), 5).value = v
        wb.save(inbox / f"Retour {soc.raison_sociale} — été (copie).xlsx")  # renamed by HR: allowed
    out = _run(root, "consolider")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "Retour Fidélia — été (copie).xlsx" in out.stdout and "Erreur" not in out.stderr
    assert (campaign.outputs_dir(root) / "consolidation.xlsx").is_file()
    out = _run(root, "suivi", "--au", "01/09/2007")
    assert out.returncode == 0, out.stdout + out.stderr
    # The same project moved elsewhere still works: nothing in it depends on where it was.
    moved = tmp_path / "Déplacé ici"
    shutil.move(str(root), moved)
    assert _run(moved, "consolider").returncode == 0
