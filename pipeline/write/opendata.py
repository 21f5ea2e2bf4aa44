"""The published edition as open data: diffusion.csv (one row per published cell, long form), metiers.csv
(the code list) and datapackage.json, a Frictionless Data Package describing every column, its code lists
and the suppression flags — what an open-data portal ingests.

The figures are exactly those of diffusion.xlsx: a masked value is an empty field with its ``…_secret``
flag set to true.
"""

from __future__ import annotations

import csv
import io
import json
import math
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd

from ..compute.consolidation import Consolidation
from ..core.texts import fr
from ..core.texts import opendata as O
from ..core.vocab import TABLE_LEVELS, TOUT, Level
from .tables import evolution_shown
from .xlsx import OutputBusy, atomic_text

DATA, CODES, DESCRIPTOR = "diffusion.csv", "metiers.csv", "datapackage.json"
TYPES = {"campagne": "string", "date_arrete": "date", "niveau": "string", "code": "string", "libelle": "string",
         "code_famille": "string", "mesure": "string", "categorie": "string", "ventilation": "string",
         "libelle_categorie": "string", "effectif": "integer",
         "effectif_secret": "boolean", "pourcentage": "number", "nb_societes": "integer",
         "nb_societes_secret": "boolean", "effectif_precedent": "integer", "evolution": "integer",
         "evolution_pct": "number", "evolution_secret": "boolean"}
CODE_TYPES = {"code_metier": "string", "intitule_metier": "string", "code_famille": "string",
              "intitule_famille": "string", "code_groupe": "string", "groupe": "string"}


def _csv(columns: list[str], rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(["" if v is None else ("true" if v is True else "false" if v is False else v) for v in r]
                     for r in rows)
    return out.getvalue()


def _number(value, decimals: int | None = None):
    """``value`` rounded as Excel shows it, halves away from zero (Python's ``round`` gives 53.12 for 53.125, which
    the published workbook shows as 53,13 %), from the shortest text of the float (1.005 is 1.01, as in Excel)."""
    if value is None or pd.isna(value) or not math.isfinite(float(value)):  # no share of nothing
        return None
    found = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-(decimals or 0)), rounding=ROUND_HALF_UP)
    return int(found) if decimals is None else float(found)


def table_rows(c: Consolidation) -> list[list]:
    """The rows of diffusion.csv, in the order of the table (emplois after their métier)."""
    p = c.protection
    shown = evolution_shown(c)
    # The published evolution is the raw comparison: its N−1 figures are the previous published edition's.
    evolution = c.evolution_raw.wide() if c.evolution_raw is not None else None
    rows = []
    named = c.campaign.saisie.labels()  # « tout » has neither a breakdown nor a category name
    # Only what the protection covers is published: the headcount and its breakdowns (not the ETP); the
    # evolution of the headcount only. A share is masked with its cell and with the branch's figure it divides.
    for mesure, categorie in p.cells[["mesure", "categorie"]].drop_duplicates().itertuples(index=False, name=None):
        masked, hidden = p.masked_of(mesure, categorie), p.hidden_counts_of(mesure, categorie)
        unpublished = p.unpublished_of(mesure, categorie)
        branch_masked = any(n == Level.BRANCHE for n, _ in masked)
        for t in c.branch.wide(mesure, categorie, emplois=True).itertuples(index=False):
            cell = (t.niveau, t.code)
            if cell in unpublished:
                continue
            secret = cell in masked
            n1 = change = pct = None
            evo_secret = False
            if evolution is not None and categorie == TOUT and cell in evolution.index \
                    and not pd.isna(evolution.loc[cell, "effectif_n1"]):
                n1_shown, change_shown = shown.get(cell, (False, False))
                e = evolution.loc[cell]
                n1 = _number(e["effectif_n1"]) if n1_shown else None
                change = _number(e["variation"]) if change_shown else None
                pct = _number(100 * e["variation_pct"], 2) if change_shown else None
                evo_secret = not change_shown
            rows.append([c.campaign.identifiant, c.campaign.date_arrete.isoformat(), t.niveau, t.code, t.libelle,
                         t.code_famille, mesure, categorie, *named.get(categorie, ("", "")),
                         None if secret else int(t.effectif), secret,
                         None if secret or branch_masked else _number(100 * float(t.pourcentage), 2),
                         None if cell in hidden else int(t.nb_societes), cell in hidden, n1, change, pct,
                         evo_secret])
    return rows


def _field(name: str, kind: str, enum: list[str] | None = None, required: bool = False, codes: bool = False) -> dict:
    """A field of diffusion.csv, or of metiers.csv with ``codes``."""
    title, description = (O.CODE_FIELDS if codes and name in O.CODE_FIELDS else O.FIELDS)[name]
    field: dict = {"name": name, "type": kind, "title": title, "description": description}
    if kind == "boolean":
        field.update(trueValues=["true"], falseValues=["false"])
    constraints = {}
    if required:
        constraints["required"] = True
    if enum:
        constraints["enum"] = enum
    if kind == "integer" and name in ("effectif", "nb_societes", "effectif_precedent"):
        constraints["minimum"] = 0
    if constraints:
        field["constraints"] = constraints
    return field


def descriptor(c: Consolidation) -> dict:
    """The Frictionless Data Package of the open-data files."""
    levels = [str(lv) for lv in TABLE_LEVELS]
    nom = c.campaign.nomenclature
    required = {"campagne", "date_arrete", "niveau", "libelle", "mesure", "categorie", "effectif_secret",
                "nb_societes_secret", "evolution_secret"}
    enums = {"niveau": levels, "code_famille": ["", *sorted(nom.familles["code_famille"])],
             "mesure": sorted(set(c.protection.cells["mesure"])),
             "categorie": sorted(set(c.protection.cells["categorie"]))}
    table = {"name": "effectifs", "path": DATA, "profile": "tabular-data-resource", "title": O.TABLE_TITLE,
             "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
             "schema": {"fields": [_field(n, k, enums.get(n), n in required) for n, k in TYPES.items()],
                        "primaryKey": ["niveau", "code", "mesure", "categorie"], "missingValues": [""]}}
    codes = {"name": "metiers", "path": CODES, "profile": "tabular-data-resource", "title": O.CODES_TITLE,
             "description": O.CODES_DESCRIPTION, "format": "csv", "mediatype": "text/csv",
             "encoding": "utf-8",
             "schema": {"fields": [_field(n, k, [n for n, _ in nom.groupes] if n == "code_groupe" else None,
                                          required=True, codes=True) for n, k in CODE_TYPES.items()],
                        "primaryKey": ["code_metier"], "missingValues": [""]}}
    return {"profile": "tabular-data-package", "name": f"effectifs-assistance-{c.campaign.dossier}",
            "title": fr(O.TITLE, libelle=c.campaign.libelle),
            "description": fr(O.DESCRIPTION, date=c.campaign.date_arrete),
            "licenses": [O.LICENSE], "contributors": [{"title": O.PUBLISHER, "role": "publisher"}],
            "resources": [table, codes]}


def write_opendata(c: Consolidation, folder: str | Path) -> Path:
    """Write diffusion.csv, metiers.csv and datapackage.json into ``folder``; returns the descriptor's path."""
    if c.protection is None:
        raise ValueError("the open-data export needs the protection of the table")
    folder = Path(folder)
    nom = c.campaign.nomenclature
    titles = dict(zip(nom.familles["code_famille"], nom.familles["intitule_famille"]))
    groups = dict(zip(nom.familles["code_famille"], nom.familles["groupe"]))
    numbers = {g: n for n, g in nom.groupes}  # I, II: the code of the groups' rows in diffusion.csv
    codes = [[m.code_metier, m.intitule_metier, m.code_famille, titles[m.code_famille],
              numbers[groups[m.code_famille]], groups[m.code_famille]] for m in nom.metiers.itertuples(index=False)]
    busy: list[Path] = []
    for name, text in ((DATA, _csv(list(TYPES), table_rows(c))), (CODES, _csv(list(CODE_TYPES), codes)),
                       (DESCRIPTOR, json.dumps(descriptor(c), ensure_ascii=False, indent=2) + "\n")):
        try:
            atomic_text(folder / name, text)
        except OutputBusy as err:  # open in another program: the other files are still written
            busy += err.paths
    if busy:
        raise OutputBusy(busy)
    return folder / DESCRIPTOR
