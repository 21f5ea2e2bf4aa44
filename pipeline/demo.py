"""The demo campaigns: the 2007 cartography of the 9 SNSA companies, end to end, then a fictional 2009 campaign
asking every breakdown and the ETP.

Entry point: :func:`run_demo`. The published table gives, per métier, the branch headcount and
the number of companies employing it — not each company's figures. :func:`sample_figures`
makes up a *fictional* split per company that reproduces every printed headcount and number of
companies, and :func:`write_sample_returns` writes it into the project's own templates, so the
sample returns never drift from the template format.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd

from .api import Project, Run
from .core.breakdowns import ETP, NON_RENSEIGNE
from .core.campaign import DEMO_BREAKDOWNS, DEMO_CAMPAIGN, DEMO_MARKER, EMBEDDED, Campaign, embedded_campaign_path
from .core.form import KEY_NV, KEY_TOTAL, input_key
from .core.texts.console import DEMO_README
from .core.vocab import EFFECTIF, TOUT
from .write.template import write_template

DEMO_DIR = "demo"
DEMO_NV_COMMENT = "Fonctions de direction et métiers sans fiche (exemple fictif)"

# Fictional relative sizes of the 9 companies (for a plausible split only; not published data).
DEMO_WEIGHTS = {
    "europ-assistance": 26, "mondial-assistance": 22, "axa-assistance": 17, "ima": 14,
    "mutuaide-assistance": 6, "fidelia": 5, "garantie-assistance": 4, "acta": 3, "delta-services": 3,
}


def published_table() -> pd.DataFrame:
    """Table 1.4 of the cartography as printed (plus the 0101 emplois of section 1.7)."""
    path = Path(str(resources.files("pipeline") / "data" / "cartographie_2007.csv"))
    df = pd.read_csv(path, sep=";", comment="#", dtype=str, keep_default_na=False)
    df["effectif"] = df["effectif"].astype(int)
    df["pct_imprime"] = df["pct_imprime"].astype(float)
    return df


def _split(total: int, companies: list[str]) -> dict[str, int]:
    """Split ``total`` people over ``companies``: at least 1 each, the rest by weight (largest remainder)."""
    rest = total - len(companies)
    if rest < 0:
        raise ValueError(f"cannot give {len(companies)} companies at least one of {total} people")
    weights = [DEMO_WEIGHTS[c] for c in companies]
    shares = [rest * w / sum(weights) for w in weights]
    base = [int(s) for s in shares]
    order = sorted(range(len(companies)), key=lambda i: (base[i] - shares[i], i))
    for i in order[: rest - sum(base)]:
        base[i] += 1
    return {c: 1 + b for c, b in zip(companies, base)}


def _choose(rng: random.Random, pool: list[str], n: int) -> list[str]:
    """n distinct companies of ``pool``, drawn with probability growing with their size."""
    pool, chosen = list(pool), []
    for _ in range(n):
        pick = rng.choices(pool, weights=[DEMO_WEIGHTS[c] for c in pool])[0]
        chosen.append(pick)
        pool.remove(pick)
    return sorted(chosen)


def sample_figures(campaign: Campaign, seed: int = 2007) -> dict[str, dict[str, int]]:
    """Per company, the figures to type into its template (keys of the input rows, NV, TOTAL)."""
    table = published_table()
    companies = list(campaign.societes["identifiant"])
    missing = set(companies) ^ set(DEMO_WEIGHTS)
    if missing:
        raise ValueError(f"the demo split knows the 2007 companies only, not {sorted(missing)}")
    rng = random.Random(seed)
    figures: dict[str, dict[str, int]] = {c: {} for c in companies}
    lines = campaign.nomenclature.lignes
    printed = table.set_index("cle")
    for code in campaign.nomenclature.metiers["code_metier"]:
        metier = printed.loc[code]
        keys = list(lines.loc[lines["code_metier"] == code, "cle"])
        holders = _choose(rng, companies, int(metier["nb_societes"]))
        if keys == [code]:
            for c, n in _split(int(metier["effectif"]), holders).items():
                figures[c][code] = n
            continue
        # A métier split into emplois: each emploi's companies are among the métier's.
        for key in keys:
            emploi = printed.loc[key]
            for c, n in _split(int(emploi["effectif"]), _choose(rng, holders, int(emploi["nb_societes"]))).items():
                figures[c][key] = n
    ventiles = sum(sum(f.values()) for f in figures.values())
    branche = int(printed.loc[printed["niveau"] == "branche", "effectif"].iloc[0])
    for c, n in _split(branche - ventiles, companies).items():
        figures[c][KEY_NV] = n
    for c in companies:
        figures[c][KEY_TOTAL] = sum(figures[c].values())
    return figures


def later_figures(campaign: Campaign, seed: int = 2009) -> dict[str, dict[str, int]]:
    """Fictional figures of a campaign after 2007: each 2007 sample figure moved by −10 % to +15 %."""
    rng = random.Random(seed)
    figures = {}
    for company, rows in sample_figures(campaign).items():
        moved = {k: max(0, round(v * rng.uniform(0.9, 1.15))) for k, v in rows.items() if k != KEY_TOTAL}
        moved[KEY_TOTAL] = sum(moved.values())
        figures[company] = moved
    return figures


def _draw(rng: random.Random, n: int, weights: list[float]) -> list[int]:
    counts = [0] * len(weights)
    for i in rng.choices(range(len(weights)), weights=weights, k=n):
        counts[i] += 1
    return counts


def sample_breakdowns(campaign: Campaign, figures: dict[str, dict[str, int]], seed: int = 2009) \
        -> dict[str, dict[tuple[str, str], object]]:
    """Per company, fictional breakdowns and ETP of every row (keys: (row key, column key) as
    :func:`~pipeline.write.template.write_template` takes them), consistent with the headcounts: each breakdown
    adds up to the row, a crossed pair to the breakdowns it crosses. The last company leaves the breakdowns that
    allow « non renseigné » empty (they count as not given)."""
    saisie = campaign.saisie
    out: dict[str, dict[tuple[str, str], object]] = {}
    companies = list(figures)
    for company, rows in figures.items():
        rng = random.Random(f"{seed}-{company}")
        values: dict[tuple[str, str], object] = {}
        for cle, h in rows.items():
            if cle == KEY_TOTAL or not h:
                continue
            shape = random.Random(f"{seed}-{cle}")  # a métier's profile, the same in every company
            counts: dict[str, list[int]] = {}
            for b in saisie.breakdowns:
                if b.crosses:
                    joint = _draw(rng, h, [shape.uniform(0.3, 1.5) for _ in b.categories])
                    counts[b.key] = joint
                    for k in b.crosses:
                        margin = saisie.of(k)
                        counts[k] = [sum(n for (code, _), n in zip(b.categories, joint)
                                         if f"{k}={m}" in code.split("&")) for m, _ in margin.categories]
            for b in saisie.breakdowns:
                if b.key not in counts:
                    counts[b.key] = _draw(rng, h, [shape.uniform(0.2, 1.5) for _ in b.categories])
            for b in saisie.with_categories():
                empty = b.non_renseigne and company == companies[-1]
                for (code, _), n in zip(b.categories, counts[b.key] + [0]):
                    value = None if empty else 0 if code == NON_RENSEIGNE else n
                    values[(cle, input_key(EFFECTIF, b.category(code)))] = value
            if saisie.etp:
                part = counts.get("temps", [h, 0])[1] if "temps" in counts else round(h * 0.1)
                values[(cle, input_key(ETP, TOUT))] = round(h - part + part * shape.uniform(0.4, 0.8), 1)
        out[company] = values
    return out


def write_sample_returns(campaign: Campaign, folder: Path) -> list[Path]:
    """The demo's returned workbooks: each company's own template, filled with its sample figures (and, for a
    campaign asking breakdowns, fictional figures and breakdowns after 2007)."""
    folder.mkdir(parents=True, exist_ok=True)
    figures = sample_figures(campaign) if not campaign.saisie.any else later_figures(campaign)
    if campaign.saisie.any:
        extra = sample_breakdowns(campaign, figures)
        figures = {c: {**rows, **extra[c]} for c, rows in figures.items()}
    paths = []
    for i, soc in enumerate(campaign.societes.itertuples(index=False)):
        comments = {KEY_NV: DEMO_NV_COMMENT}
        path = write_template(campaign, soc.identifiant, folder / soc.fichier, figures[soc.identifiant], comments)
        # Received during the campaign, before its deadline (the history and the dashboard show it).
        received = dt.datetime.combine(campaign.date_limite, dt.time(10)) - dt.timedelta(days=20 - 2 * i)
        os.utime(path, (received.timestamp(), received.timestamp()))
        paths.append(path)
    return paths


@dataclass(frozen=True)
class DemoResult:
    templates: list[Path]
    returns: list[Path]
    run: Run
    breakdowns: Run | None = None  # the fictional second campaign, with every breakdown and ETP

    @property
    def consolidation(self):
        return self.run.consolidation

    @property
    def consolidation_path(self) -> Path:
        return self.run.consolidation_path

    @property
    def diffusion_path(self) -> Path:
        return self.run.diffusion_path

    @property
    def control_report(self) -> Path:
        return self.run.control_report


def run_demo(root: str | Path = ".") -> DemoResult:
    """Templates, sample returns, checks, history, control report and consolidation of the 2007 campaign, then of
    the fictional 2009 one asking every breakdown and the ETP, in the folder ``demo/`` of ``root``: the demo's
    files and history never mix with real campaigns."""
    folder = Path(root) / DEMO_DIR
    folder.mkdir(parents=True, exist_ok=True)
    (folder / DEMO_MARKER).write_text(DEMO_README, encoding="utf-8")
    project = Project(folder)
    campaign = project.campaign(DEMO_CAMPAIGN)
    templates = project.write_templates(campaign, force=True).paths  # its contacts are fictional on purpose
    returns = write_sample_returns(campaign, campaign.inputs_dir(project.root))
    # Seen to arrive during the campaign, before its deadline (the history and the dashboard show it).
    arrival = dt.datetime.combine(campaign.date_limite, dt.time(10)) - dt.timedelta(days=10)
    run = project.consolidate(campaign, now=arrival)
    # A second, fictional campaign after 2007 that asks every breakdown and ETP; its file, to read as an example.
    later = project.campaign(DEMO_BREAKDOWNS)
    shutil.copyfile(embedded_campaign_path(DEMO_BREAKDOWNS), folder / EMBEDDED[DEMO_BREAKDOWNS])
    project.write_templates(later, force=True)
    write_sample_returns(later, later.inputs_dir(project.root))
    arrival = dt.datetime.combine(later.date_limite, dt.time(10)) - dt.timedelta(days=10)
    return DemoResult(templates, returns, run, project.consolidate(later, now=arrival))
