"""Benchmark: a synthetic campaign of N companies, stage by stage, against the naive way.

    python benchmarks/bench_campaign.py                 # 100 and 1,000 companies, 5 % faulty returns
    python benchmarks/bench_campaign.py --societes 100 1000 --fautifs 0.05 --sortie benchmarks/resultats.md

For each N: a campaign of N companies on the 39 métiers, their templates, realistic filled returns
made from those templates (a share of them faulty: negative, decimal or text figures, a wrong
declared total), then, timed: templates, ingestion + validation, consolidation (with the
statistical confidentiality), history, writing (control report, consolidation, published edition,
return-to-sender workbooks) — and, in the same run, the naive baseline for the ingestion:
``pandas.read_excel(engine="openpyxl")`` over the same files plus ``concat``. Peak memory is the
process's maximum resident size so far (ru_maxrss), and the parallel readers' own maximum.
Also: the 9-company demo end to end, interpreter start included.
"""

from __future__ import annotations

import argparse
import datetime as dt
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from pipeline import history
from pipeline.campaign import campaign_toml, load_campaign
from pipeline.consolidate import consolidate, write_consolidation, write_diffusion
from pipeline.feedback import write_feedback
from pipeline.ingest import ingest, write_control_report
from pipeline.secret import protect, rules_of
from pipeline.templates import KEY_NV, KEY_TOTAL, SHEET_INPUT, write_template, write_templates


def _rss_mb(who=resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kilobytes on Linux


def _figures(rng: random.Random, keys: list[str]) -> dict[str, object]:
    """A plausible company: a few large métiers, many small or absent ones."""
    size = rng.choice([30, 80, 200, 600, 1500])
    values = {}
    for key in keys:
        if rng.random() < 0.55:
            values[key] = max(1, int(rng.expovariate(8 / size)))
    values[KEY_NV] = max(1, size // 10)
    values[KEY_TOTAL] = sum(values.values())
    return values


def _fault(rng: random.Random, values: dict[str, object], keys: list[str]) -> dict[str, object]:
    key = rng.choice([k for k in keys if k in values] or keys)
    kind = rng.choice(["negatif", "decimal", "texte", "total"])
    faulty = dict(values)
    if kind == "negatif":
        faulty[key] = -3
    elif kind == "decimal":
        faulty[key] = 2.5
    elif kind == "texte":
        faulty[key] = "une dizaine"
    else:
        faulty[KEY_TOTAL] = int(values[KEY_TOTAL]) + 7
    return faulty


def run(n: int, faulty_share: float, seed: int = 7) -> dict:
    rng = random.Random(seed + n)
    root = Path(tempfile.mkdtemp(prefix=f"bench{n}_"))
    companies = [(f"soc-{i:05d}", f"Société n° {i}") for i in range(1, n + 1)]
    text = campaign_toml("bench", f"Campagne de test ({n} sociétés)", dt.date(2026, 7, 1), dt.date(2026, 10, 1),
                         {"nom": "Secrétariat"}, companies)
    (root / "bench.toml").write_text(text, encoding="utf-8")
    campaign = load_campaign(root / "bench.toml", root)
    keys = list(campaign.nomenclature.lignes["cle"])
    out = {"societes": n}

    t = time.perf_counter()
    write_templates(campaign, root)
    out["modeles_s"] = time.perf_counter() - t
    out["rss_modeles_mo"] = _rss_mb()

    inputs = campaign.inputs_dir(root)
    n_faulty = 0
    for soc in campaign.societes.itertuples(index=False):
        values = _figures(rng, keys)
        if rng.random() < faulty_share:
            values = _fault(rng, values, keys)
            n_faulty += 1
        write_template(campaign, soc.identifiant, inputs / soc.fichier, values)
    out["retours_fautifs"] = n_faulty

    t = time.perf_counter()
    result = ingest(campaign, root)
    out["ingestion_s"] = time.perf_counter() - t
    out["rss_ingestion_mo"] = _rss_mb()
    out["acceptes"] = len(result.acceptees)

    t = time.perf_counter()
    frames = [pd.read_excel(p, sheet_name=SHEET_INPUT, engine="openpyxl") for p in sorted(inputs.glob("*.xlsx"))]
    pd.concat(frames, ignore_index=True)
    out["naif_s"] = time.perf_counter() - t

    t = time.perf_counter()
    conso = consolidate(result)
    from dataclasses import replace
    conso = replace(conso, protection=protect(conso.table, conso.par_societe, result.effectifs,
                                              campaign.nomenclature, rules_of(campaign)))
    out["consolidation_s"] = time.perf_counter() - t

    t = time.perf_counter()
    conn = history.connect(root / "h.sqlite")
    history.record(conn, result, inputs)
    conn.close()
    out["historique_s"] = time.perf_counter() - t

    t = time.perf_counter()
    outputs = campaign.outputs_dir(root)
    write_control_report(result, outputs / "controle.xlsx")
    write_consolidation(conso, outputs / "consolidation.xlsx")
    write_diffusion(conso, outputs / "diffusion.xlsx")
    write_feedback(result, outputs / "retours")
    out["ecriture_s"] = time.perf_counter() - t
    out["rss_max_mo"] = _rss_mb()
    out["rss_lecteurs_mo"] = _rss_mb(resource.RUSAGE_CHILDREN)
    out["total_s"] = sum(out[k] for k in ("modeles_s", "ingestion_s", "consolidation_s", "historique_s",
                                          "ecriture_s"))
    out["gain_ingestion"] = out["naif_s"] / out["ingestion_s"]
    return out


def demo_seconds() -> float:
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "pipeline.cli", "--racine", tmp, "demo"], check=True,
                       capture_output=True)
        return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--societes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--fautifs", type=float, default=0.05, help="share of faulty returns")
    parser.add_argument("--sortie", type=Path, help="also write the results as Markdown")
    args = parser.parse_args()
    rows = [run(n, args.fautifs) for n in args.societes]
    df = pd.DataFrame(rows).set_index("societes")
    lines = [f"Machine : {platform.machine()}, {__import__('os').cpu_count()} cœurs, Python {platform.python_version()}, "
             f"{dt.date.today().isoformat()}", ""]
    lines.append("| sociétés | modèles | ingestion + validation | naïf (read_excel) | gain | consolidation | "
                 "historique | écriture | total | pic mémoire (processus / lecteurs) |")
    lines.append("|---|---|---|---|---|---|---|---|---|---|")
    for n, r in df.iterrows():
        lines.append(f"| {n} ({int(r.retours_fautifs)} fautifs) | {r.modeles_s:.1f} s | {r.ingestion_s:.1f} s | "
                     f"{r.naif_s:.1f} s | ×{r.gain_ingestion:.1f} | {r.consolidation_s:.2f} s | {r.historique_s:.2f} s | "
                     f"{r.ecriture_s:.1f} s | {r.total_s:.1f} s | {r.rss_max_mo:.0f} / {r.rss_lecteurs_mo:.0f} Mo |")
    if len(df) > 1:
        small, big = df.index.min(), df.index.max()
        growth = (df.loc[big, "total_s"] / big) / (df.loc[small, "total_s"] / small)
        lines.append("")
        lines.append(f"Temps par société, {big} contre {small} : ×{growth:.2f} (1,0 = croissance linéaire).")
    lines.append(f"Démonstration (9 sociétés) de bout en bout, démarrage de l'interpréteur compris : "
                 f"{demo_seconds():.1f} s.")
    text = "\n".join(lines)
    print(text)
    if args.sortie:
        args.sortie.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
