"""Shared fixtures: real templates written by the project, edited as HR would, with openpyxl."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from pipeline.core.campaign import DEMO_MARKER, Campaign, embedded_campaign_path, load_campaign
from pipeline.demo import run_demo, sample_figures
from pipeline.core.form import SHEET_INPUT
from pipeline.write.template import write_template


@pytest.fixture(scope="session")
def campaign() -> Campaign:
    return load_campaign(embedded_campaign_path("2007"))


@pytest.fixture(scope="session")
def demo(tmp_path_factory):
    """The whole demo campaign, run once: (its folder, what it did)."""
    root = tmp_path_factory.mktemp("demo")
    result = run_demo(root)
    return root / "demo", result


@pytest.fixture(scope="session")
def figures(campaign) -> dict[str, dict[str, int]]:
    return sample_figures(campaign)


@pytest.fixture(scope="session")
def good_returns(tmp_path_factory, campaign, figures) -> dict[str, Path]:
    """One correctly filled return per company (the demo's figures), written once."""
    folder = tmp_path_factory.mktemp("good")
    return {
        soc.identifiant: write_template(campaign, soc.identifiant, folder / soc.fichier, figures[soc.identifiant])
        for soc in campaign.societes.itertuples(index=False)
    }


def demo_root(root: Path) -> Path:
    """Mark ``root`` as the demo's folder: the 2007 campaign (embedded) is the one its commands use."""
    root.mkdir(parents=True, exist_ok=True)
    (root / DEMO_MARKER).write_text("tests", encoding="utf-8")
    return root


@pytest.fixture
def inputs(tmp_path, campaign) -> Path:
    """An empty inputs/2007 folder under a fresh project root (``tmp_path``, where 2007 is the campaign)."""
    demo_root(tmp_path)
    folder = campaign.inputs_dir(tmp_path)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture
def put(inputs, good_returns, campaign) -> Callable[..., Path]:
    """Copy a company's good return into the inputs folder, optionally edited with openpyxl."""

    def _put(company: str, edit: Callable | None = None, name: str | None = None) -> Path:
        target = inputs / (name or campaign.societes.set_index("identifiant").loc[company, "fichier"])
        shutil.copyfile(good_returns[company], target)
        if edit is not None:
            wb = openpyxl.load_workbook(target)
            edit(wb, wb[SHEET_INPUT] if SHEET_INPUT in wb.sheetnames else None)
            wb.save(target)
        return target

    return _put


def row_of(ws, key: str) -> int:
    """The row whose code cell (column A) holds ``key``."""
    for cell in ws["A"]:
        if cell.value == key:
            return cell.row
    raise KeyError(key)


def cell_of(ws, key: str) -> str:
    """The coordinate of the headcount cell of ``key``."""
    return f"E{row_of(ws, key)}"


def variant_nomenclature(folder: Path, remove=(), add=(), retitle=None, correspondences=()) -> Path:
    """A copy of the shipped nomenclature with métiers removed, added (CSV lines), retitled, and its
    correspondence table (``(code_precedent, code, commentaire)`` rows)."""
    from pipeline.core.nomenclature import default_nomenclature_dir

    shutil.copytree(default_nomenclature_dir(), folder)
    lines = (folder / "metiers.csv").read_text(encoding="utf-8").splitlines()
    lines = [l for l in lines if l.split(";")[0] not in set(remove)]
    for code, title in (retitle or {}).items():
        lines = [";".join([p[0], p[1], title, *p[3:]]) if (p := l.split(";"))[0] == code else l for l in lines]
    lines = [lines[0], *sorted(lines[1:] + list(add))]
    (folder / "metiers.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = ["code_precedent;code;commentaire", *(";".join(r) for r in correspondences)]
    (folder / "correspondances.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def two_campaigns(tmp_path_factory):
    """2007 (the demo's figures, accepted in the history) and 2026, whose nomenclature splits 0104
    (new 0108) and merges 0804 into 0803. Tests that add 2026 returns copy the history first
    (:func:`fresh_root`)."""
    import datetime as dt

    from pipeline.core.campaign import campaign_toml
    from pipeline.demo import write_sample_returns
    from tests.helpers import run_campaign

    root = tmp_path_factory.mktemp("two")
    (root / "campagnes").mkdir()
    shutil.copyfile(embedded_campaign_path("2007"), root / "campagnes" / "2007.toml")  # as a real 2007 campaign
    c2007 = load_campaign("2007", root)
    write_sample_returns(c2007, c2007.inputs_dir(root))
    run_campaign(c2007, root)
    variant_nomenclature(root / "campagnes" / "nom2026", remove=["0804"],
                         add=["0108;01;Psychologue d'assistance;;;;"],
                         correspondences=[("0104", "0104", ""), ("0104", "0108", ""), ("0803", "0803", ""),
                                          ("0804", "0803", "")])
    societes = list(c2007.societes[["identifiant", "raison_sociale", "contact", "email"]]
                    .itertuples(index=False, name=None))
    text = campaign_toml("2026", "Campagne 2026", dt.date(2026, 7, 1), dt.date(2026, 10, 15), c2007.contact,
                         societes, "nom2026", precedente="2007")
    (root / "campagnes" / "2026.toml").write_text(text, encoding="utf-8")
    return root, c2007, load_campaign("2026", root)


def fresh_root(two_campaigns, tmp_path: Path) -> Path:
    """A project root holding a copy of the two campaigns' files and history, for one test to change."""
    root, _, _ = two_campaigns
    shutil.copytree(root / "campagnes", tmp_path / "campagnes")
    (tmp_path / "outputs").mkdir()
    shutil.copyfile(root / "outputs" / "historique.sqlite", tmp_path / "outputs" / "historique.sqlite")
    return tmp_path


def values_2026(figures_2007: dict[str, int]) -> dict[str, int]:
    """A company's 2007 figures carried into the 2026 nomenclature (0804 merged into 0803), unchanged."""
    v = {k: n for k, n in figures_2007.items() if k not in ("0804", "TOTAL")}
    v["0803"] = figures_2007.get("0803", 0) + figures_2007.get("0804", 0)
    v["TOTAL"] = sum(v.values())
    return v
