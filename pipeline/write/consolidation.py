"""consolidation.xlsx, the observatory's complete workbook: Chiffres clés (one page), Synthèse (with the
evolution at constant scope), Évolution brute, Base de données, Graphique, Commentaires (what HR wrote),
Par société (confidential), Sources and Secret (what the published edition masks, and why)."""

from __future__ import annotations

from pathlib import Path

from ..compute.consolidation import Consolidation
from ..core.texts import fr, number
from ..core.texts import labels as L
from ..core.vocab import Level
from .comments import write_comments_sheet
from .evolution import write_raw_evolution
from .keyfigures import write_key_figures
from .tables import LEVEL_STYLE, label, write_base, write_chart, write_synthese
from .xlsx import a4, atomic_workbook, formats


def _write_par_societe(wb, fmt, c: Consolidation) -> None:
    ws = wb.add_worksheet(L.SHEET_PER_COMPANY)
    ws.set_tab_color("#C00000")
    ws.write_string(0, 0, L.PER_COMPANY_WARNING, fmt["alert"])
    ws.write_string(1, 0, c.campaign.libelle, fmt["subtitle"])
    companies = list(c.par_societe.columns)
    ws.set_column(0, 0, 8)
    ws.set_column(1, 1, 50)
    ws.set_column(2, 2 + len(companies), 13)
    header = 3
    for col, h in enumerate([L.HEADING_CODE, L.HEADING_LABEL] + [c.campaign.names.get(s, s) for s in companies]
                            + [L.HEADING_BRANCH]):
        ws.write_string(header, col, h, fmt["header"])
    ws.set_row(header, 30)
    matrix = c.par_societe.to_numpy()
    for i, t in enumerate(c.table.itertuples(index=False)):
        r = header + 1 + i
        label_style, number_style, _ = (fmt[k] for k in LEVEL_STYLE[t.niveau])
        ws.write_string(r, 0, t.code, fmt["code"] if t.niveau == Level.METIER else label_style)
        ws.write_string(r, 1, label(t, c.campaign), label_style)
        for j, v in enumerate(matrix[i], start=2):
            ws.write_number(r, j, int(v), number_style)
        ws.write_number(r, 2 + len(companies), int(t.effectif), number_style)
    ws.freeze_panes(header + 1, 2)
    a4(ws, repeat=(header, header), footer=L.CONFIDENTIAL)
    ws.set_header(f"&C&\"Calibri,Bold\"{L.CONFIDENTIAL}")


def _write_sources(wb, fmt, c: Consolidation) -> None:
    ws = wb.add_worksheet(L.SHEET_SOURCES)
    ws.write_string(0, 0, L.SOURCES_TITLE, fmt["title"])
    for col, width in enumerate([22, 32, 60, 20, 20]):
        ws.set_column(col, col, width)
    columns = ["identifiant", "raison_sociale", "fichier", "soumission", "recu_le"]
    for col, h in enumerate(L.SOURCES_HEADINGS):
        ws.write_string(2, col, h, fmt["header"])
    for i, r in enumerate(c.retenues[columns].itertuples(index=False), start=3):
        for col, v in enumerate(r):
            ws.write_string(i, col, str(v).replace("T", " ") if columns[col] == "recu_le" else str(v), fmt["cell"])
    row = 4 + len(c.retenues)
    ws.write_string(row, 0, L.SOURCES_ABSENT, fmt["label"])
    for i, a in enumerate(c.absentes.itertuples(index=False), start=row + 1):
        for col, v in enumerate([a.identifiant, a.raison_sociale, a.motif]):
            ws.write_string(i, col, str(v), fmt["cell"])
    if c.absentes.empty:
        ws.write_string(row + 1, 0, L.NONE, fmt["text"])
    a4(ws, repeat=(2, 2), footer=c.campaign.libelle)


def secret_note(c: Consolidation) -> list[str]:
    """The French note explaining the statistical confidentiality of the published edition."""
    rules = c.protection.rules
    rule = L.SECRET_NOTE_P_RULE if rules.regle == "p%" else L.SECRET_NOTE_DOMINANCE
    lines = [*L.SECRET_NOTE[:3], rule, *L.SECRET_NOTE[3:]]
    if rules.groupes:
        lines.insert(4, L.SECRET_NOTE_GROUPS)
    return [fr(line, frequence=rules.frequence_min, dominance=rules.dominance, p=rules.p / 100) for line in lines]


def _interval(lo: float, hi: float) -> str:
    return fr(L.SECRET_RANGE, bas=number(round(lo)), haut=L.INFINITY if hi == float("inf") else number(round(hi)))


def _write_secret(wb, fmt, c: Consolidation) -> None:
    """Internal: which cells the published edition masks, why, which primary cells a secondary one protects,
    and the interval an outsider and the strongest insider can still infer, against what was required."""
    p = c.protection
    ws = wb.add_worksheet(L.SHEET_SECRET)
    for col, width in enumerate([14, 9, 44, 10, 10, 24, 18, 16, 11, 24, 16, 11]):
        ws.set_column(col, col, width)
    ws.write_string(0, 0, L.SECRET_TITLE, fmt["title"])
    note = secret_note(c)
    for i, line in enumerate(note[1:], start=1):
        ws.write_string(i, 0, line, fmt["small"])
    row = len(note) + 1
    for col, h in enumerate(L.SECRET_HEADINGS):
        ws.write_string(row, col, h, fmt["header"])
    ws.set_row(row, 30)
    labels = dict(zip(zip(c.branch.rows["niveau"], c.branch.rows["code"]), c.branch.rows["libelle"]))
    masked = p.part()
    for r in masked[masked["motif"] != ""].itertuples(index=False):
        row += 1
        insider = c.campaign.names.get(r.initie, r.initie) if r.initie else L.NONE_INSIDER
        values = [L.NIVEAUX[Level(r.niveau)], r.code, labels.get((r.niveau, r.code), ""), int(r.effectif),
                  int(r.nb_societes), r.motif, r.protege, _interval(r.bas, r.haut),
                  fr(L.SECRET_REQUIRED, n=int(r.requis)) if r.requis else "", insider,
                  _interval(r.bas_initie, r.haut_initie) if r.initie else "",
                  fr(L.SECRET_REQUIRED, n=int(r.requis_initie)) if r.requis_initie else ""]
        for col, v in enumerate(values):
            if isinstance(v, int):
                ws.write_number(row, col, v, fmt["number"])
            else:
                ws.write_string(row, col, str(v), fmt["cell"])
    if p.coherence is not None:
        row += 2
        ws.write_string(row, 0, L.SECRET_COHERENCE, fmt["label"])
        row += 1
        for col, h in enumerate(L.SECRET_COHERENCE_HEADINGS):
            ws.write_string(row, col, h, fmt["header"])
        if p.coherence.empty:
            ws.write_string(row + 1, 0, L.SECRET_COHERENCE_NONE, fmt["text"])
        for r in p.coherence.itertuples(index=False):
            row += 1
            for col, v in enumerate([L.NIVEAUX[Level(r.niveau)], r.code, r.libelle, r.avant, r.maintenant, r.note]):
                ws.write_string(row, col, str(v), fmt["cell"])
    a4(ws, footer=L.CONFIDENTIAL)


def write_consolidation(c: Consolidation, path: str | Path) -> Path:
    """Write consolidation.xlsx for the observatory (complete; marks what the published edition masks)."""
    with atomic_workbook(path, title=fr(L.CONSOLIDATION_TITLE, libelle=c.campaign.libelle),
                         author=L.OBSERVATORY) as wb:
        fmt = formats(wb)
        write_key_figures(wb, fmt, c)
        write_synthese(wb, fmt, c)
        write_raw_evolution(wb, fmt, c)
        write_base(wb, fmt, c)
        write_chart(wb, fmt, c)
        write_comments_sheet(wb, fmt, c.campaign, c.commentaires, c.campaign.libelle)
        _write_par_societe(wb, fmt, c)
        _write_sources(wb, fmt, c)
        if c.protection is not None:
            _write_secret(wb, fmt, c)
        wb.get_worksheet_by_name(L.SHEET_KEY_FIGURES).activate()
    return Path(path)
