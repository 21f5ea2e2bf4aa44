"""Accepted figures built by hand, as the consolidation receives them (``schemas.EFFECTIFS``)."""

from __future__ import annotations

import pandas as pd

from pipeline.consolidate import branch_table
from pipeline.secret import protect
from pipeline.templates import KEY_NV, KEY_TOTAL


def effectifs_frame(campaign, per_company: dict[str, dict[str, int]]) -> pd.DataFrame:
    """``{company: {row key: headcount}}`` (keys of the input rows, "NV"; "TOTAL" ignored) as figures."""
    lines = campaign.nomenclature.lignes.set_index("cle")
    rows = [dict(societe=s, cle=k, code_metier=KEY_NV if k == KEY_NV else lines.loc[k, "code_metier"],
                 rang_emploi=0 if k == KEY_NV else int(lines.loc[k, "rang_emploi"]), effectif=int(v))
            for s, values in per_company.items() for k, v in values.items() if k != KEY_TOTAL]
    return pd.DataFrame(rows, columns=["societe", "cle", "code_metier", "rang_emploi", "effectif"])


def protect_figures(campaign, per_company, rules=None):
    """The protection of the branch table of these figures."""
    effectifs = effectifs_frame(campaign, per_company)
    table, _, matrix = branch_table(campaign, effectifs)
    return protect(table, matrix, effectifs, campaign.nomenclature, rules)
