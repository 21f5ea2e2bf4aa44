"""The published edition read back as a reader would, and checked against ``tests/secret_attacker.py`` — an
outside reader and every company (or holding group) using its own figures — which shares no code with
``pipeline.compute.secret*``.

What is checked is what the protection guarantees: no figure of a company can be bounded within ± p % by the
outsider or by any other company, from everything the edition publishes — the figures, the sums they are
part of, and the numbers of companies it shows (each company counted has at least one person; the number of
companies of a masked cell is not published). No published sum has exactly one masked cell.
"""

from __future__ import annotations

import openpyxl

from tests.secret_attacker import Attack, count_failures, parts_per_company, primary, sums


def read_diffusion(path, nomenclature):
    """Published cells ("niveau:code" -> value, None when "s"), numbers of companies (None when "s") and, when
    the edition shows the evolution, each row's N−1 figure and evolution (None when "s", absent when "—"). Reads
    the internal consolidation.xlsx too (same layout: every value shown, no N−1 columns read)."""
    wb = openpyxl.load_workbook(path)
    published, companies, previous, change = {}, {}, {}, {}
    fam_titles = {f"Sous-total {f.code_famille} - {f.intitule_famille}": f.code_famille
                  for f in nomenclature.familles.itertuples(index=False)}
    labels = {"TOTAL EFFECTIFS MÉTIERS SPÉCIFIQUES À L'ASSISTANCE RATTACHÉS À UNE FICHE MÉTIER": "groupe:I",
              "TOTAL EFFECTIFS MÉTIERS SUPPORTS RATTACHÉS À UNE FICHE MÉTIER": "groupe:II",
              "TOTAL DES EFFECTIFS VENTILÉS DANS LES FICHES MÉTIERS": "ventiles:",
              "TOTAL EFFECTIFS NON VENTILÉS DANS LES FICHES MÉTIERS": "non_ventiles:NV"}

    def val(v):
        return None if v == "s" else v

    rows = list(wb["Synthèse"].iter_rows(min_col=1, max_col=9, values_only=True))
    head = next(r for r in rows if r[0] == "Code")
    with_previous = isinstance(head[5], str) and head[5].startswith("Effectif au")  # the published layout
    for a, _b, value, _pct, nb, n1, evo, *_ in rows:
        key = None
        if isinstance(a, str) and a.isdigit() and len(a) == 4:
            key = f"metier:{a}"
        elif a in fam_titles:
            key = f"famille:{fam_titles[a]}"
        elif a in labels:
            key = labels[a]
        elif isinstance(a, str) and a.startswith("TOTAL EFFECTIFS BRANCHE AU"):
            key = "branche:"
        if key and (value == "s" or isinstance(value, int)):
            published[key], companies[key] = val(value), val(nb)
            if with_previous and n1 is not None and n1 != "—":
                previous[key], change[key] = val(n1), val(evo)
    base = list(wb["Base de données"].iter_rows(values_only=True))
    for code, keys in nomenclature.lignes.groupby("code_metier")["cle"]:
        if len(keys) > 1:
            i = next(i for i, r in enumerate(base) if r[0] == code)
            for j, key in enumerate(keys):
                published[f"emploi:{key}"], companies[f"emploi:{key}"] = val(base[i + j][5]), val(base[i + j][9])
    return published, companies, previous, change


def published_from(protection):
    """What the published edition shows, from a protection: value (None when masked) and number of companies
    (None when not published), per cell ("niveau:code", with "|category" when not "tout")."""
    cells = protection.cells
    name = [f"{n}:{c}" + ("" if cat == "tout" else f"|{cat}")
            for n, c, cat in zip(cells["niveau"], cells["code"], cells["categorie"])]
    published = {k: (None if m else v) for k, m, v in zip(name, cells["motif"], cells["effectif"])}
    counts = {k: (n if shown else None) for k, n, shown in zip(name, cells["nb_societes"], cells["societes_publiees"])}
    return published, counts


def attack(published, counts, figures, nomenclature, groups=None, **extra) -> Attack:
    """Everything the edition publishes, attacked: the outsider and every company (or holding group)."""
    return Attack(sums(nomenclature, **extra), published, parts_per_company(nomenclature, figures), groups or {},
                  counts=counts)


def assert_resists(published, counts, figures, nomenclature, groups=None, p=0.10, rule="dominance", **extra):
    """Nothing of a company bounded within ± p % by anyone; no published sum with exactly one masked cell.
    ``figures``: {company: {row key: headcount}} as typed. Returns the primary cells. A cell of the sums
    missing from ``published`` is one the edition does not show: unknown to every attacker, and not protected
    for itself (only what is published is)."""
    parts = parts_per_company(nomenclature, figures)
    groups = groups or {}
    primaries = {c for c, v in parts.items() if primary(v, groups, p=p, rule=rule) and c in published}
    cells = {c for total, ps in sums(nomenclature, **extra) for c in [total, *ps]}
    shown = published
    published = {**{c: None for c in cells if c not in shown}, **shown}
    a = attack(published, counts, figures, nomenclature, groups, **extra)
    failures = a.failures(primaries, p) + count_failures(published, counts, parts, groups, p)
    assert not failures, "\n".join(failures[:20])
    for total, parts_ in a.relations:
        hidden = [c for c in [total, *parts_] if published.get(c, 0) is None]
        assert len(hidden) != 1 or hidden[0] not in shown, (total, parts_)  # a masked cell never alone in a sum
    return primaries
