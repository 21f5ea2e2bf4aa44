"""Year-over-year checks of each company's figures against its previous campaign.

Hidiroglou–Berthelot (1986) on the ratio N / N−1, pooled over every (company, comparable métier) of
the campaign with a headcount both years: s is the ratio's distance to the median ratio, E = s ×
max(N, N−1)^U weighs it by size (small counts move a lot without meaning much), and a unit is unusual
when E lies outside [E_med − C·d_Q1, E_med + C·d_Q3], d_Q = max(quartile distance, A·|E_med|).
HB measures how far a unit is from the others; when most units did not move at all (figures often
repeat from one campaign to the next) its spread collapses and the smallest move would stand out, so
a flagged unit must also move materially. Métiers appearing or disappearing and a declared total
moving a lot are flagged too. A warning the company explained in the line's comment is information.
"""

from __future__ import annotations

import re

import pandas as pd

from ..compute.evolution import comparable_groups
from ..core.campaign import Campaign
from ..core.correspondences import correspondences_between
from ..core.form import KEY_TOTAL
from ..core.layout import input_rows
from ..core.models import Chiffres, DataFrame, Messages
from ..core.numeric import is_number
from ..core.texts import fr
from ..core.texts.messages import EXPLAINED, FORMERLY
from ..core.vocab import EFFECTIF, TOUT, Level, Severity, Status
from .batch import MESSAGE_COLUMNS, Checked

HB_U, HB_A, HB_C = 0.5, 0.05, 4.0
HB_MIN_UNITS = 10          # fewer units with both years non-zero: no meaningful median, no HB test
APPEAR_MIN = 3             # a métier appearing or disappearing is flagged from this many people
TOTAL_CHANGE = 0.20        # the declared total moving by more than 20 % …
TOTAL_CHANGE_MIN = 5       # … and by at least this many people
MATERIAL_ABS, MATERIAL_REL = 3, 0.10
# A comment explains a change when it holds a word: « 16 » or « ? » beside a figure is no explanation (a misplaced
# figure, say), and leaves the warning a warning.
WORD = re.compile(r"[^\W\d_]{2,}")


def explanation(comment) -> str:
    """The comment beside a line, when it explains something (:data:`WORD`); "" otherwise."""
    text = str(comment or "").strip()
    return text if WORD.search(text) else ""


def hidiroglou_berthelot(x1: pd.Series, x2: pd.Series) -> pd.Series:
    """True for the units whose change N−1 -> N is unusual and material (a zero either year: not tested)."""
    both = (x1 > 0) & (x2 > 0)
    flags = pd.Series(False, index=x1.index)
    if both.sum() < HB_MIN_UNITS:
        return flags
    r = x2[both] / x1[both]
    r_med = r.median()
    s = (1 - r_med / r).where(r < r_med, r / r_med - 1)
    e = s * pd.concat([x1[both], x2[both]], axis=1).max(axis=1) ** HB_U
    q1, med, q3 = e.quantile(0.25), e.median(), e.quantile(0.75)
    d1, d3 = max(med - q1, abs(HB_A * med)), max(q3 - med, abs(HB_A * med))
    flags[both] = (e < med - HB_C * d1) | (e > med + HB_C * d3)
    change = (x2 - x1).abs()
    return flags & (change >= MATERIAL_ABS) & (change >= MATERIAL_REL * x1)


def _units(checked: Checked, previous: Campaign, previous_figures: pd.DataFrame) -> pd.DataFrame:
    """One unit per (accepted file, group of comparable métiers), plus the declared total when it moves."""
    campaign = checked.campaign
    rows_of = input_rows(campaign.nomenclature)
    # Every return of a company of the campaign, rejected ones too: HR reviews everything in one round.
    # A cell with an error is not compared (its group is left out), nor is any cell of a file in doubt.
    readable = checked.fichiers[checked.fichiers["statut"] != Status.IGNORED]
    ok = set(readable.loc[readable["societe"].isin(campaign.company_ids), "fichier"]) - set(checked.en_attente)
    errors = checked.messages[checked.messages["gravite"] == Severity.ERROR]
    wrong = set(zip(errors["fichier"], errors["cle"]))
    cells = checked.saisies
    cells = cells[cells["fichier"].isin(ok) & (cells["mesure"] == EFFECTIF) & (cells["categorie"] == TOUT)]
    usable = [(f, k) not in wrong and (v is None or is_number(v))
              for f, k, v in zip(cells["fichier"], cells["cle"], cells["nombre"])]
    cells = cells[pd.Series(usable, index=cells.index, dtype=bool)]  # a mask even when empty (not a column list)
    comments = checked.commentaires.groupby(["fichier", "cle"])["texte"].agg(" ".join).to_dict()
    titles = dict(zip(campaign.nomenclature.metiers["code_metier"], campaign.nomenclature.metiers["intitule_metier"]))
    before_all = previous_figures[(previous_figures["mesure"] == EFFECTIF) & (previous_figures["categorie"] == TOUT)]
    lignes = previous.nomenclature.lignes
    before_all = before_all.assign(code_metier=before_all["cle"].map(dict(zip(lignes["cle"], lignes["code_metier"])))
                                   .fillna(""))
    prev_codes = set(before_all["code_metier"]) - {""}
    groups = [g for g in comparable_groups(prev_codes | set(previous.nomenclature.metiers["code_metier"]),
                                           set(campaign.nomenclature.metiers["code_metier"]),
                                           correspondences_between(previous.nomenclature, campaign.nomenclature))
              if g.current and g.previous]
    previous_of = dict(tuple(before_all.groupby("societe", sort=False)))
    all_keys_of: dict[str, list[str]] = {}
    for key, row in rows_of.items():
        if row.niveau in (Level.METIER, Level.EMPLOI):
            all_keys_of.setdefault(row.code_metier, []).append(key)
    units = []
    for fichier, own in cells.groupby("fichier", sort=False):
        company = own["societe"].iloc[0]
        before = previous_of.get(company)
        if before is None or before.empty:
            continue
        number = {r.cle: (0 if r.nombre is None else int(r.nombre)) for r in own.itertuples(index=False)}
        where = {r.cle: (r.feuille, r.cellule) for r in own.itertuples(index=False)}
        keys_of: dict[str, list[str]] = {}
        for key in number:
            row = rows_of.get(key)
            if row is not None and row.niveau in (Level.METIER, Level.EMPLOI):
                keys_of.setdefault(row.code_metier, []).append(key)
        measured = before[before["cle"] != KEY_TOTAL]
        for g in groups:
            keys = [k for c in g.current for k in keys_of.get(c, [])]
            if any((fichier, k) in wrong for c in g.current for k in all_keys_of.get(c, [])):
                continue
            feuille, cellule = where.get(keys[0], ("", "")) if keys else ("", "")
            units.append(dict(
                fichier=fichier, societe=company, total=False, cle=keys[0] if keys else "", feuille=feuille,
                cellule=cellule, libelle=" + ".join(f"{c} {titles.get(c, '')}".strip() for c in g.current) + (
                    fr(FORMERLY, codes=" + ".join(g.previous)) if g.previous != g.current else ""),
                x1=int(measured.loc[measured["code_metier"].isin(g.previous), "valeur"].sum()),
                x2=sum(number.get(k, 0) for k in keys),
                commentaire=" ".join(comments.get((fichier, k), "") for k in keys).strip()))
        if KEY_TOTAL in number and (fichier, KEY_TOTAL) not in wrong:
            t1, t2 = int(measured["valeur"].sum()), number[KEY_TOTAL]
            if t1 and abs(t2 - t1) >= TOTAL_CHANGE_MIN and abs(t2 - t1) / t1 > TOTAL_CHANGE:
                feuille, cellule = where[KEY_TOTAL]
                units.append(dict(fichier=fichier, societe=company, total=True, cle=KEY_TOTAL, feuille=feuille,
                                  cellule=cellule, libelle="total", x1=t1, x2=t2,
                                  commentaire=comments.get((fichier, KEY_TOTAL), "").strip()))
    return pd.DataFrame(units, columns=["fichier", "societe", "total", "cle", "feuille", "cellule", "libelle", "x1",
                                        "x2", "commentaire"])


def yoy_messages(checked: Checked, previous: Campaign, previous_figures: DataFrame[Chiffres]) -> DataFrame[Messages]:
    """Messages on the returns of ``checked`` (rejected ones too) whose figures move unusually since ``previous``
    (``previous_figures``: its accepted figures, :class:`~pipeline.core.models.Chiffres`)."""
    df = _units(checked, previous, previous_figures)
    if df.empty:
        return pd.DataFrame(columns=MESSAGE_COLUMNS)
    lines = df[~df["total"]]
    hb = hidiroglou_berthelot(lines["x1"].astype(float), lines["x2"].astype(float))
    rows = []
    for i, u in df.iterrows():
        if u["total"]:
            code = "evolution.total"
        elif u.x1 == 0 and u.x2 >= APPEAR_MIN:
            code = "evolution.apparu"
        elif u.x2 == 0 and u.x1 >= APPEAR_MIN:
            code = "evolution.disparu"
        elif hb.get(i, False):
            code = "evolution.inhabituelle"
        else:
            continue
        explained = explanation(u.commentaire)
        params = dict(libelle=u.libelle, avant=int(u.x1), maintenant=int(u.x2), precedente=previous.identifiant,
                      part=(u.x2 - u.x1) / u.x1 if u.x1 else 0.0,
                      explication=fr(EXPLAINED, texte=explained[:120]) if explained else "")
        rows.append((u.fichier, u.societe, u.feuille, u.cellule, u.cle,
                     str(Severity.INFO if explained else Severity.WARNING), code, params))
    return pd.DataFrame(rows, columns=MESSAGE_COLUMNS)
