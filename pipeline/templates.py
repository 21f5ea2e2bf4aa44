"""Stage 3 — the templates: one workbook to fill per company.

Entry point: :func:`write_templates` (all companies of a campaign) or :func:`write_template`
(one company, optionally pre-filled: the demo's sample returns are made this way).

:func:`build_layout` is the single description of the input sheet's rows; ingestion re-derives
it to find every row by its code, whatever HR did to the row order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from xlsxwriter.utility import xl_rowcol_to_cell

from .campaign import Campaign
from .nomenclature import Nomenclature
from .parallel import parallel_map
from .xlsx import atomic_workbook, formats, header_footer_text, row_height

FORMAT_VERSION = "1"
SHEET_GUIDE = "Mode d'emploi"
SHEET_INPUT = "Effectifs"
SHEET_FEEDBACK = "Anomalies"  # first sheet of a workbook sent back to a company

# Custom document properties (always strings: LibreOffice turns numbers into floats).
PROP_CAMPAIGN = "effectifs_campagne"
PROP_COMPANY = "effectifs_societe"
PROP_FORMAT = "effectifs_format"
PROP_NOMENCLATURE = "effectifs_nomenclature"

KEY_NV = "NV"
KEY_TOTAL = "TOTAL"

# Column headings of the input sheet: ingestion finds the columns by these texts.
COL_CODE, COL_TITLE, COL_EMPLOI, COL_AUTRES, COL_EFFECTIF, COL_COMMENT = range(6)
HEADINGS = {
    COL_CODE: "Code",
    COL_TITLE: "Intitulé du métier",
    COL_EMPLOI: "Emploi rattaché",
    COL_AUTRES: "Autres dénominations rencontrées",
    COL_EFFECTIF: "Effectif",  # followed by " au JJ/MM/AAAA"
    COL_COMMENT: "Commentaire",
}
WIDTHS = {COL_CODE: 9, COL_TITLE: 36, COL_EMPLOI: 32, COL_AUTRES: 62, COL_EFFECTIF: 14, COL_COMMENT: 40}
HEADER_ROW = 9  # 0-based row of the column headings in the generated template
BODY_START = HEADER_ROW + 1

INPUT_KINDS = ("saisie", "non_ventiles", "declare")
MAX_CELL_TEXT = 32_767  # Excel's limit for the text of one cell


@dataclass(frozen=True)
class LayoutRow:
    """One row of the input sheet below the headings.

    kind: groupe, famille (headings); saisie (a headcount to fill for a métier or emploi);
    metier (total of a métier split into emplois); sous_total (family); total_groupe;
    ventiles; non_ventiles (to fill); calcule (ventilated + not ventilated); declare (the
    declared total, to fill); ecart (declared − computed).
    ``somme``: indexes (in the layout) of the rows this row adds up; for ``ecart``, the
    declared row then the computed row.
    """

    kind: str
    cle: str = ""
    intitule: str = ""
    emploi: str = ""
    autres: str = ""
    code_metier: str = ""
    rang_emploi: int = 0
    somme: tuple[int, ...] = field(default=())
    ref: str = ""  # the family code of a sous_total, the group number of a total_groupe

    @property
    def is_input(self) -> bool:
        return self.kind in INPUT_KINDS


def group_total_label(groupe: str) -> str:
    return f"Total effectifs {groupe[0].lower() + groupe[1:]} rattachés à une fiche métier"


LABEL_VENTILES = "Total des effectifs ventilés dans les fiches métiers"
LABEL_NV = "Effectifs non ventilés dans les fiches métiers"
LABEL_NV_HELP = (
    "Fonctions de direction, missions ponctuelles, salariés détachés, métiers sans fiche métier"
)
LABEL_CALCULE = "Total calculé (ventilés + non ventilés)"
LABEL_DECLARE = "Effectif permanent total de la société (déclaré)"
LABEL_ECART = "Écart : total déclaré − total calculé (doit être 0)"


def build_layout(nomenclature: Nomenclature) -> list[LayoutRow]:
    """The rows of the input sheet, in order, for a nomenclature (computed once per nomenclature)."""
    if "layout" not in nomenclature.cache:
        nomenclature.cache["layout"] = _layout(nomenclature)
    return nomenclature.cache["layout"]


def _layout(nomenclature: Nomenclature) -> list[LayoutRow]:
    rows: list[LayoutRow] = []
    group_totals = []
    for numero, groupe in nomenclature.groupes:
        rows.append(LayoutRow("groupe", numero, f"Les {groupe[0].lower() + groupe[1:]}"))
        family_totals = []
        for fam in nomenclature.familles_du_groupe(groupe).itertuples(index=False):
            rows.append(LayoutRow("famille", fam.code_famille, fam.intitule_famille))
            inputs = []
            for m in nomenclature.metiers_de(fam.code_famille).itertuples(index=False):
                autres = ", ".join(m.autres)
                lignes = nomenclature.lignes_du_metier(m.code_metier)
                if len(lignes) == 1:
                    ligne = lignes.iloc[0]
                    inputs.append(len(rows))
                    rows.append(
                        LayoutRow("saisie", ligne.cle, m.intitule_metier, ligne.intitule_emploi, autres,
                                  m.code_metier, 0)
                    )
                    continue
                first = len(rows) + 1
                children = tuple(range(first, first + len(lignes)))
                rows.append(LayoutRow("metier", m.code_metier, m.intitule_metier,
                                      "Total des emplois rattachés ci-dessous", autres, m.code_metier,
                                      somme=children))
                for ligne in lignes.itertuples(index=False):
                    inputs.append(len(rows))
                    rows.append(LayoutRow("saisie", ligne.cle, "", ligne.intitule_emploi, "",
                                          m.code_metier, int(ligne.rang_emploi)))
            family_totals.append(len(rows))
            rows.append(LayoutRow("sous_total", "", f"Sous-total {fam.code_famille} - {fam.intitule_famille}",
                                  somme=tuple(inputs), ref=fam.code_famille))
        group_totals.append(len(rows))
        rows.append(LayoutRow("total_groupe", "", group_total_label(groupe), somme=tuple(family_totals), ref=numero))
    ventiles = len(rows)
    rows.append(LayoutRow("ventiles", "", LABEL_VENTILES, somme=tuple(group_totals)))
    nv = len(rows)
    rows.append(LayoutRow("non_ventiles", KEY_NV, LABEL_NV, LABEL_NV_HELP))
    calcule = len(rows)
    rows.append(LayoutRow("calcule", "", LABEL_CALCULE, somme=(ventiles, nv)))
    declare = len(rows)
    rows.append(LayoutRow("declare", KEY_TOTAL, LABEL_DECLARE))
    rows.append(LayoutRow("ecart", "", LABEL_ECART, somme=(declare, calcule)))
    return rows


def _as_number(value: object) -> float | int:
    """What a spreadsheet's SUM sees in a cell: numbers count, anything else is 0."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        return 0
    return int(value) if float(value).is_integer() else value


def layout_values(layout: list[LayoutRow], inputs: dict[str, object]) -> list[float | int]:
    """The value of every row as a spreadsheet computes it: inputs as given, computed rows summed.

    Computed rows only refer to rows above them, so one pass in order suffices.
    """
    values: list[float | int] = [0] * len(layout)
    for i, row in enumerate(layout):
        if row.is_input:
            values[i] = _as_number(inputs.get(row.cle))
        elif row.kind == "ecart":
            values[i] = values[row.somme[0]] - values[row.somme[1]]
        elif row.somme:
            values[i] = sum(values[j] for j in row.somme)
    return values


def effectif_heading(campaign: Campaign) -> str:
    return f"{HEADINGS[COL_EFFECTIF]} au {campaign.date_arrete.strftime('%d/%m/%Y')}"


def identity_text(campaign: Campaign, company_id: str) -> str:
    return (
        f"Modèle format {FORMAT_VERSION} — campagne {campaign.identifiant} — société {company_id} — "
        f"nomenclature {campaign.nomenclature.empreinte}"
    )


def _guide(campaign: Campaign, company: str) -> list[tuple[str, str]]:
    date = campaign.date_arrete.strftime("%d/%m/%Y")
    deadline = campaign.date_limite.strftime("%d/%m/%Y")
    retour = campaign.contact.get("retour") or "au contact ci-dessous"
    first_split = next(
        (m for m in campaign.nomenclature.metiers.itertuples(index=False) if len(m.emplois) > 1), None
    )
    split_text = (
        f"Lorsqu'un métier est divisé en emplois rattachés (par exemple {first_split.code_metier} "
        f"{first_split.intitule_metier}), répartissez ses effectifs sur les lignes {first_split.code_metier}-1, "
        f"{first_split.code_metier}-2… : le total du métier se calcule seul."
        if first_split is not None else ""
    )
    items = [
        ("title", "Mode d'emploi — ventilation des effectifs par métier"),
        ("subtitle", campaign.libelle),
        ("subtitle", f"Fichier préparé pour : {company}"),
        ("section", "Qui remplit ce fichier ?"),
        ("para", f"La direction des ressources humaines de {company}, ou la personne qu'elle désigne. "
                 "Ce fichier est propre à votre société : ne l'échangez pas avec une autre société."),
        ("section", "Ce qu'il faut compter"),
        ("item", f"Les effectifs permanents de la société au {date} (date d'arrêté), en nombre de personnes "
                 "et non en équivalents temps plein."),
        ("item", "Chaque personne est comptée une seule fois, dans le métier où elle passe le plus de temps."),
        ("item", "Les responsables hiérarchiques directs des titulaires d'un métier sont comptés dans ce "
                 "métier (par exemple le responsable d'une équipe de chargé(e)s de réservation est compté en 0106)."),
        ("item", "Exception : les encadrant(e)s d'assistance ont leur propre métier, 0103 Encadrant(e) "
                 "d'assistance ; ne les comptez pas avec les chargé(e)s d'assistance (0102)."),
        ("item", split_text),
        ("section", "Rattacher vos intitulés de poste aux métiers"),
        ("item", "Les intitulés d'emploi varient d'une société à l'autre. Pour chaque métier, la colonne "
                 "« Autres dénominations rencontrées » donne les intitulés déjà rencontrés dans les sociétés "
                 "de la branche : elle vous aide à rattacher vos propres intitulés au bon métier."),
        ("item", "Les familles de métiers ne correspondent pas forcément aux services ou directions de votre "
                 "société : rattachez chaque personne selon son métier, pas selon son service."),
        ("section", "Les effectifs non ventilés (ligne NV)"),
        ("item", "Comptez sur la ligne NV les personnes qui ne relèvent d'aucun des métiers listés : fonctions "
                 "de direction, missions ponctuelles, salariés détachés provisoirement dans d'autres structures "
                 "juridiques, et métiers n'ayant pas fait l'objet d'une fiche métier (métiers à faibles "
                 "effectifs ou propres à une seule société)."),
        ("item", "Indiquez dans le commentaire de la ligne NV les principaux emplois concernés."),
        ("section", "Comment saisir"),
        ("item", "Saisissez uniquement dans les cellules jaunes de la feuille « Effectifs » : un nombre entier "
                 "de personnes, 0 ou plus. Une cellule laissée vide compte pour 0."),
        ("item", "Les sous-totaux et totaux se calculent automatiquement."),
        ("item", "Indiquez sur la ligne TOTAL l'effectif permanent total de la société à la date d'arrêté. "
                 "La ligne « Écart » doit afficher 0 ; sinon, vérifiez la ventilation et les non ventilés."),
        ("item", "La colonne « Commentaire » accueille toute précision utile (réorganisation, métier nouveau, "
                 "variation importante…)."),
        ("item", "Ne renommez ni le fichier ni les feuilles ; n'ajoutez, ne supprimez et ne déplacez aucune "
                 "ligne ni colonne : le fichier est contrôlé automatiquement à son retour. Un intitulé de poste "
                 "qui ne trouve pas sa place est compté en non ventilés et expliqué en commentaire."),
        ("item", "Vous pouvez remplir ce fichier avec Microsoft Excel ou LibreOffice Calc ; enregistrez-le au "
                 "format Excel (.xlsx)."),
        ("section", "Retour du fichier"),
        ("item", f"Retournez ce fichier au plus tard le {deadline}, {retour}."),
        ("item", f"Contact pour toute question : {campaign.contact_text()}."),
        ("item", "Les effectifs de chaque société sont destinés à l'Observatoire des Métiers de l'Assistance, "
                 "qui publie des résultats agrégés pour l'ensemble de la branche."),
    ]
    return [(kind, text) for kind, text in items if text]


def write_template(
    campaign: Campaign,
    company_id: str,
    path: str | Path,
    values: dict[str, object] | None = None,
    comments: dict[str, str] | None = None,
    marks: dict[str, str] | None = None,
    first_sheet: Callable | None = None,
    previous: dict[int, float] | None = None,
) -> Path:
    """Write the template of one company.

    ``values``/``comments`` (by row key) pre-fill the inputs — whole numbers, or whatever HR typed
    when a return is sent back; ``marks`` (row key -> "erreur"/"avertissement") highlights inputs;
    ``first_sheet(workbook, formats)`` adds a sheet before the others. ``previous`` (layout row index
    -> headcount) fills a locked reminder column with the company's figures of the previous campaign
    (``campaign.precedente``); the inputs themselves are never pre-filled.
    """
    path = Path(path)
    values = values or {}
    comments = comments or {}
    marks = marks or {}
    company = campaign.raison_sociale(company_id)
    layout = build_layout(campaign.nomenclature)
    computed = layout_values(layout, values)
    with atomic_workbook(
        path,
        title=f"Effectifs par métier — {company}",
        subject=campaign.libelle,
        author="Observatoire des Métiers de l'Assistance",
        company=company,
        comments=identity_text(campaign, company_id),
        # A fixed date keeps a template byte-for-byte reproducible (same sha256 in the history).
        created=dt.datetime.combine(campaign.date_arrete, dt.time()),
    ) as wb:
        for name, value in (
            (PROP_CAMPAIGN, campaign.identifiant),
            (PROP_COMPANY, company_id),
            (PROP_FORMAT, FORMAT_VERSION),
            (PROP_NOMENCLATURE, campaign.nomenclature.empreinte),
        ):
            wb.set_custom_property(name, str(value), "text")
        fmt = formats(wb)
        if first_sheet is not None:
            first_sheet(wb, fmt)
        _write_guide(wb, fmt, campaign, company, company_id)
        ws = wb.add_worksheet(SHEET_INPUT)
        _write_input_sheet(ws, fmt, campaign, company, company_id, layout, values, comments, computed, marks,
                           previous)
        if first_sheet is None:
            ws.activate()
    return path


def _write_guide(wb, fmt, campaign: Campaign, company: str, company_id: str) -> None:
    ws = wb.add_worksheet(SHEET_GUIDE)
    ws.hide_gridlines(2)
    ws.set_column(0, 0, 3)
    ws.set_column(1, 1, 110)
    section = wb.add_format({"bold": True, "font_size": 11, "font_color": "#1F4E79", "font_name": "Calibri",
                             "bottom": 1, "bottom_color": "#1F4E79"})
    row = 0
    for kind, text in _guide(campaign, company):
        if kind == "title":
            ws.write_string(row, 1, text, fmt["title"])
            ws.set_row(row, 22)
        elif kind == "subtitle":
            ws.write_string(row, 1, text, fmt["subtitle"])
        elif kind == "section":
            row += 1
            ws.write_string(row, 1, text, section)
        elif kind == "para":
            ws.write_string(row, 1, text, fmt["wrap"])
            ws.set_row(row, 15 * (1 + len(text) // 120))
        else:
            ws.write_string(row, 0, "•", fmt["wrap"])
            ws.write_string(row, 1, text, fmt["wrap"])
            ws.set_row(row, 15 * (1 + len(text) // 120))
        row += 1
    row += 1
    ws.write_string(row, 1, identity_text(campaign, company_id), fmt["small"])
    ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)


def _write_input_value(ws, r: int, value: object, style) -> None:
    """An input as typed: numbers as numbers, anything else as text (never a formula)."""
    if value is None:
        ws.write_blank(r, COL_EFFECTIF, None, style)
    elif isinstance(value, bool):
        ws.write_boolean(r, COL_EFFECTIF, value, style)
    elif isinstance(value, (int, float)) and value == value and abs(value) != float("inf"):
        ws.write_number(r, COL_EFFECTIF, value, style)
    elif isinstance(value, (dt.date, dt.datetime)):
        ws.write_string(r, COL_EFFECTIF, value.strftime("%d/%m/%Y"), style)
    else:
        ws.write_string(r, COL_EFFECTIF, str(value)[:MAX_CELL_TEXT], style)


def previous_heading(campaign: Campaign) -> str:
    return f"Rappel : effectif de la campagne {campaign.precedente} (N−1)"


def _write_input_sheet(ws, fmt, campaign, company, company_id, layout, values, comments, computed, marks,
                       previous) -> None:
    with_previous = previous is not None
    col_n1 = COL_EFFECTIF + 1  # the reminder column, when there is one
    col_comment = COL_COMMENT + (1 if with_previous else 0)
    for col, width in WIDTHS.items():
        ws.set_column(col + (1 if with_previous and col == COL_COMMENT else 0),
                      col + (1 if with_previous and col == COL_COMMENT else 0), width)
    if with_previous:
        ws.set_column(col_n1, col_n1, 14)
    date = campaign.date_arrete.strftime("%d/%m/%Y")
    ws.write_string(0, 0, f"Effectifs permanents par métier au {date}", fmt["title"])
    ws.set_row(0, 22)
    header = [
        ("Société", company),
        ("Campagne", campaign.libelle),
        ("Date d'arrêté", date),
        ("Date limite de retour", campaign.date_limite.strftime("%d/%m/%Y")),
        ("Contact", campaign.contact_text()),
    ]
    for i, (label, value) in enumerate(header, start=1):
        ws.merge_range(i, COL_CODE, i, COL_TITLE, label, fmt["label"])
        ws.merge_range(i, COL_EMPLOI, i, col_comment, value, fmt["text"])
    ws.write_string(6, 0, identity_text(campaign, company_id), fmt["small"])
    ws.write_string(
        7, 0,
        "Saisissez un nombre entier de personnes dans les cellules jaunes (vide = 0). Les totaux se "
        "calculent seuls. Voir la feuille « Mode d'emploi ».",
        fmt["subtitle"],
    )
    for col, text in HEADINGS.items():
        ws.write_string(HEADER_ROW, col_comment if col == COL_COMMENT else col,
                        effectif_heading(campaign) if col == COL_EFFECTIF else text, fmt["header"])
    if with_previous:
        ws.write_string(HEADER_ROW, col_n1, previous_heading(campaign), fmt["header"])
        ws.set_column(col_n1, col_n1, 16)
    ws.set_row(HEADER_ROW, 44 if with_previous else 30)

    def cell(i: int) -> str:
        return xl_rowcol_to_cell(BODY_START + i, COL_EFFECTIF)

    validation = {
        "validate": "integer", "criteria": ">=", "value": 0,
        "input_title": "Effectif", "input_message": "Nombre entier de personnes (0 ou plus).\nVide = 0.",
        "error_title": "Valeur non valide",
        "error_message": "Saisissez un nombre entier de personnes, égal ou supérieur à 0 "
                         "(sans décimale, sans texte).",
    }
    for i, row in enumerate(layout):
        r = BODY_START + i
        if row.kind in ("groupe", "famille"):
            style = fmt["group"] if row.kind == "groupe" else fmt["family"]
            ws.write_string(r, COL_CODE, row.cle, style)
            ws.write_string(r, COL_TITLE, row.intitule, style)
            for col in range(COL_EMPLOI, col_comment + 1):
                ws.write_blank(r, col, None, style)
            continue
        if row.kind in ("saisie", "metier"):
            label_style, code_style = fmt["cell"], fmt["code"]
        elif row.kind in ("ventiles", "calcule", "ecart"):
            label_style = code_style = fmt["big_total_label"]
        elif row.kind in ("non_ventiles", "declare"):
            label_style, code_style = fmt["big_total_label"], fmt["big_total_label"]
        else:
            label_style = code_style = fmt["total_label"]
        ws.write_string(r, COL_CODE, row.cle, code_style)
        if row.kind in ("saisie", "metier"):
            ws.write_string(r, COL_TITLE, row.intitule, label_style)
            ws.write_string(r, COL_EMPLOI, row.emploi, label_style)
            ws.write_string(r, COL_AUTRES, row.autres, label_style)
            ws.set_row(r, row_height([(row.intitule, WIDTHS[COL_TITLE]), (row.emploi, WIDTHS[COL_EMPLOI]),
                                      (row.autres, WIDTHS[COL_AUTRES])]))
        elif row.emploi:  # a label and a help text
            ws.write_string(r, COL_TITLE, row.intitule, label_style)
            ws.merge_range(r, COL_EMPLOI, r, COL_AUTRES, row.emploi, label_style)
        else:
            ws.merge_range(r, COL_TITLE, r, COL_AUTRES, row.intitule, label_style)
        if row.is_input:
            style = {"erreur": fmt["input_error"], "avertissement": fmt["input_warning"]}.get(marks.get(row.cle),
                                                                                             fmt["input"])
            _write_input_value(ws, r, values.get(row.cle), style)
            ws.data_validation(r, COL_EFFECTIF, r, COL_EFFECTIF, validation)
            ws.write_string(r, col_comment, str(comments.get(row.cle, ""))[:MAX_CELL_TEXT], fmt["input_text"])
            if with_previous:
                _write_previous(ws, r, col_n1, previous.get(i), fmt["previous"])
            continue
        if row.kind == "ecart":
            formula = f"={cell(row.somme[0])}-{cell(row.somme[1])}"
        else:
            formula = "=SUM(" + ",".join(cell(j) for j in row.somme) + ")"
        style = fmt["big_total"] if row.kind in ("ventiles", "calcule", "ecart") else fmt["total"]
        if row.kind == "metier":
            style = fmt["number"]
        ws.write_formula(r, COL_EFFECTIF, formula, style, computed[i])
        ws.write_blank(r, col_comment, None, label_style)
        if with_previous:
            _write_previous(ws, r, col_n1, previous.get(i), fmt["previous_total"] if row.kind != "metier"
                            else fmt["previous"])
        if row.kind == "ecart":
            ws.conditional_format(r, COL_EFFECTIF, r, COL_EFFECTIF,
                                  {"type": "cell", "criteria": "!=", "value": 0, "format": fmt["alert"]})
    last = BODY_START + len(layout) - 1
    ws.freeze_panes(BODY_START, 0)
    ws.repeat_rows(HEADER_ROW)
    ws.print_area(0, 0, last, col_comment)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_header(f"&L&8{header_footer_text(company)}&R&8{header_footer_text(campaign.libelle)}")
    ws.set_footer(f"&L&8{header_footer_text(identity_text(campaign, company_id))}&R&8Page &P / &N")
    ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True,
                    "format_columns": True, "format_rows": True})


def _write_previous(ws, r: int, col: int, value: float | None, style) -> None:
    if value is None or value != value:
        ws.write_blank(r, col, None, style)
    else:
        ws.write_number(r, col, value, style)


def write_templates(campaign: Campaign, root: str | Path = ".",
                    previous: dict[str, dict[int, float]] | None = None, progress=None) -> list[Path]:
    """Write one template per company into templates_xlsx/<campaign>/; returns their paths.

    ``previous``: per company, its N−1 reminder values (see ``evolution.previous_values``); a company
    absent from it gets an empty reminder column, and with ``previous=None`` there is no such column.
    """
    folder = campaign.templates_dir(Path(root))
    jobs = [(soc.identifiant, folder / soc.fichier, None if previous is None else previous.get(soc.identifiant, {}))
            for soc in campaign.societes.itertuples(index=False)]
    build_layout(campaign.nomenclature)  # computed once, before any worker is forked
    return parallel_map(lambda job: write_template(campaign, job[0], job[1], previous=job[2]), jobs, progress)
