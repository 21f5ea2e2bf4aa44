"""Benchmark of the statistical confidentiality: what the published edition masks, and what attackers still
find, for the code of this tree and for another revision (main by default), in the same run.

    python benchmarks/bench_secret.py                     # the demo, one random campaign, 20 random campaigns
    python benchmarks/bench_secret.py --reference main --campagnes 20 --graine 1

The other revision's ``pipeline`` is extracted with ``git archive`` into a temporary folder and run in a
process of its own. Both are attacked by tests/secret_attacker.py (an outside reader and every company adding
its own figures, with the numbers of companies each edition publishes): "exact" counts the figures of another
company pinned to one value, "±10 %" those bounded within 10 %, "counts" the published numbers of companies
that let a company bound another's figure within 10 %.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from pipeline.compute.branch import branch_table  # noqa: E402
from pipeline.compute.secret import protect  # noqa: E402
from pipeline.core.campaign import embedded_campaign_path, load_campaign  # noqa: E402
from pipeline.demo import sample_figures  # noqa: E402
from tests.secret_attacker import Attack, count_failures, parts_per_company, primary, sums  # noqa: E402

OLD = """
import json, sys
import pandas as pd
sys.path.insert(0, sys.argv[1])
from pipeline.core.campaign import load_campaign
from pipeline.compute.branch import branch_table
from pipeline.compute.secret import protect
assert sys.argv[1] in __import__("pipeline").__file__
try:  # the 2007 campaign ships with the package (a project no longer resolves "2007" by itself)
    from pipeline.core.campaign import embedded_campaign_path
    c = load_campaign(embedded_campaign_path("2007"))
except ImportError:
    c = load_campaign("2007")
out = []
for figures in json.load(sys.stdin):
    rows = [dict(campagne="b", societe=s, cle=k, mesure="effectif", categorie="tout", valeur=float(v))
            for s, values in figures.items() for k, v in values.items() if k != "TOTAL"]
    p = protect(branch_table(c.nomenclature, pd.DataFrame(rows)), c.nomenclature)
    out.append(dict(masked=[f"{n}:{code}" for n, code in p.masked],
                    counts={f"{r.niveau}:{r.code}": int(r.nb_societes) for r in p.cells.itertuples()}))
print(json.dumps(out))
"""


def random_campaign(rng: random.Random, keys: list[str]) -> dict[str, dict[str, int]]:
    """Nine companies of varied sizes; cells with 1 or 2 contributors, dominated cells, cells with as many
    people as companies, and widely shared cells."""
    sizes = [rng.choice([1, 3, 10, 40, 150]) for _ in range(9)]
    data: dict[str, dict[str, int]] = {f"s{i}": {} for i in range(9)}
    for key in rng.sample(keys, rng.randint(15, 35)):
        kind = rng.choice(["spread", "spread", "single", "pair", "dominated", "ones"])
        n = {"single": 1, "pair": 2, "dominated": 4}.get(kind, rng.randint(3, 9))
        for rank, i in enumerate(rng.sample(range(9), n)):
            v = 1 if kind == "ones" else 20 * sizes[i] + 50 if kind == "dominated" and rank == 0 \
                else rng.randint(1, 2 * sizes[i] + 2)
            data[f"s{i}"][key] = v
    return data


def _frame(figures):
    import pandas as pd
    return pd.DataFrame([dict(campagne="b", societe=s, cle=k, mesure="effectif", categorie="tout", valeur=float(v))
                         for s, values in figures.items() for k, v in values.items() if k != "TOTAL"])


def reference(rev: str, cases: list[dict]) -> list[dict]:
    """Masked cells and published counts of revision ``rev`` for every case."""
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "archive", rev, "pipeline"], cwd=REPO, capture_output=True, check=True).stdout
        tar = Path(tmp) / "rev.tar"
        tar.write_bytes(archive)
        with tarfile.open(tar) as t:
            t.extractall(tmp, filter="data")
        done = subprocess.run([sys.executable, "-c", OLD, tmp], input=json.dumps(cases), capture_output=True,
                              text=True, check=True)
    return json.loads(done.stdout)


def current(cases: list[dict], nomenclature) -> list[dict]:
    out = []
    for figures in cases:
        p = protect(branch_table(nomenclature, _frame(figures)), nomenclature)
        cells = p.part()
        out.append(dict(masked=[f"{n}:{c}" for n, c in p.masked],
                        counts={f"{r.niveau}:{r.code}": int(r.nb_societes) for r in cells.itertuples()
                                if r.societes_publiees}))
    return out


def measure(figures: dict, edition: dict, nomenclature) -> dict:
    parts = parts_per_company(nomenclature, figures)
    masked = set(edition["masked"])
    published = {c: (None if c in masked else sum(parts.get(c, {}).values())) for c in
                 {t for t, ps in sums(nomenclature) for t in [t, *ps]}}
    counts = {c: edition["counts"].get(c) for c in published}
    attack = Attack(sums(nomenclature), published, parts, {}, set(), counts)
    primaries = {c for c, v in parts.items() if primary(v, {})}
    found = [f for f in attack.findings(primaries) if f[1] is not None]
    exact = [f for f in found if f[5] - f[3] < 0.5 and f[3] - f[4] < 0.5]
    return dict(cells=len(masked), people=int(sum(sum(parts.get(c, {}).values()) for c in masked)),
                exact=len(exact), close=len(found) - len(exact), tables=int(bool(exact)),
                counts=len(count_failures(published, counts, parts, {})))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", default="main")
    parser.add_argument("--campagnes", type=int, default=20)
    parser.add_argument("--graine", type=int, default=1)
    args = parser.parse_args()
    campaign = load_campaign(embedded_campaign_path("2007"))
    nom = campaign.nomenclature
    keys = list(nom.lignes["cle"]) + ["NV"]
    rng = random.Random(args.graine)
    cases = [sample_figures(campaign)] + [random_campaign(rng, keys) for _ in range(args.campagnes)]
    started = time.perf_counter()
    before = reference(args.reference, cases)
    timed = time.perf_counter()
    after = current(cases, nom)
    elapsed = (time.perf_counter() - timed) / len(cases)
    rows = []
    for label, a, b in (("2007 demo", 0, 1), (f"random campaign (seed {args.graine})", 1, 2),
                        (f"{args.campagnes} random campaigns", 1, len(cases))):
        for version, editions in ((args.reference, before), ("this tree", after)):
            ms = [measure(cases[i], editions[i], nom) for i in range(a, b)]
            total = {k: sum(m[k] for m in ms) for k in ms[0]}
            rows.append(f"| {label} | {version} | {total['cells']} | {total['people']} | {total['exact']} "
                        f"({total['tables']} tables) | {total['close']} | {total['counts']} |")
    print("| campaign | code | cells masked | people in masked cells | exact disclosures | within ±10 % | "
          "revealing counts |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    print(f"\nprotection of this code: {elapsed:.2f} s per campaign on average; total run "
          f"{time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
