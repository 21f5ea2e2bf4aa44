"""Year-over-year checks of breakdowns: a category's share of a row (the share of women in a métier, say)
moving from the company's previous campaign by more than the campaign's ``ecart_part_max`` points is a warning
(information when the row's comment explains it). Rows too small for a share to mean much are not compared."""

from __future__ import annotations

import pandas as pd

from ..core.breakdowns import NON_RENSEIGNE
from ..core.campaign import Campaign
from ..core.form import KEY_TOTAL
from ..core.layout import input_rows
from ..core.models import Chiffres, DataFrame, Messages
from ..core.numeric import is_number
from ..core.texts import fr
from ..core.texts.messages import EXPLAINED
from ..core.vocab import EFFECTIF, TOUT, Severity, Status
from .batch import MESSAGE_COLUMNS, Checked, with_messages
from .yoy import explanation, yoy_messages

SHARE_MIN = 10  # people in the row, both campaigns, before a share is compared


def share_messages(checked: Checked, previous: Campaign, previous_figures: DataFrame[Chiffres]) -> DataFrame[Messages]:
    campaign = checked.campaign
    breakdowns = [b for b in campaign.saisie.with_categories() if not b.crosses]
    if not breakdowns:
        return pd.DataFrame(columns=MESSAGE_COLUMNS)
    before = previous_figures[previous_figures["mesure"] == EFFECTIF].set_index(["societe", "cle", "categorie"])[
        "valeur"].to_dict()
    rows_of = input_rows(campaign.nomenclature)
    errors = checked.messages[checked.messages["gravite"] == Severity.ERROR]
    wrong = set(zip(errors["fichier"], errors["cle"]))
    readable = set(checked.fichiers.loc[checked.fichiers["statut"] != Status.IGNORED, "fichier"])
    cells = checked.saisies[(checked.saisies["mesure"] == EFFECTIF) & checked.saisies["fichier"].isin(readable)]
    comments = checked.commentaires.groupby(["fichier", "cle"])["texte"].agg(" ".join).to_dict()
    gap = campaign.saisie.share_gap
    out = []
    for (fichier, cle), own in cells.groupby(["fichier", "cle"], sort=False):
        if cle == KEY_TOTAL or (fichier, cle) in wrong:
            continue
        company = own["societe"].iloc[0]
        now = {c: (float(n) if is_number(n) else 0.0) for c, n in zip(own["categorie"], own["nombre"])}
        where = dict(zip(own["categorie"], own["cellule"]))
        head, head_before = now.get(TOUT, 0.0), before.get((company, cle, TOUT), 0.0)
        if head < SHARE_MIN or head_before < SHARE_MIN:
            continue
        for b in breakdowns:
            if b.non_renseigne and not any(now.get(b.category(code)) for code, _ in b.categories):
                now[b.category(NON_RENSEIGNE)] = head  # left empty: counted as not given, as the history has it
            for code, label in b.categories:
                cat = b.category(code)
                if (company, cle, cat) not in before or cat not in now:
                    continue
                share, share_before = 100 * now[cat] / head, 100 * before[(company, cle, cat)] / head_before
                if abs(share - share_before) <= gap:
                    continue
                explained = explanation(comments.get((fichier, cle), ""))
                row = rows_of.get(cle)
                params = dict(intitule=(row.intitule or row.emploi) if row else cle, categorie=label,
                              ventilation=b.label, avant=round(share_before), apres=round(share), seuil=gap,
                              explication=fr(EXPLAINED, texte=explained[:120]) if explained else "")
                out.append((fichier, company, own["feuille"].iloc[0], where[cat], cle,
                            str(Severity.INFO if explained else Severity.WARNING), "ventilation.part", params))
    return pd.DataFrame(out, columns=MESSAGE_COLUMNS)


def compared(checked: Checked, previous: Campaign, previous_figures: DataFrame[Chiffres]) -> Checked:
    """``checked`` with its comparison with the previous campaign: the headcounts, and the breakdowns' shares when
    the campaign asks breakdowns (what ``controler`` and a web upload both say)."""
    checked = with_messages(checked, yoy_messages(checked, previous, previous_figures))
    if checked.campaign.saisie.breakdowns:
        checked = with_messages(checked, share_messages(checked, previous, previous_figures))
    return checked
