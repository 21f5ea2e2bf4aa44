"""The branch table: the 2007 demo against the published table 1.4, and random fills against an
independent computation."""

import dataclasses
import zipfile
from collections import defaultdict

import numpy as np
import openpyxl
import pandas as pd
import pytest
import xlsxwriter
from hypothesis import given
from hypothesis import strategies as st

from pipeline.compute.branch import branch_table
from tests.helpers import consolidate
from pipeline.core.texts import labels as L
from pipeline.write.consolidation import _write_par_societe, companies_as_rows, write_consolidation
from pipeline.write.xlsx import SAFE_OPTIONS, formats
from pipeline.demo import published_table
from tests.helpers import ingest
from pipeline.core.form import KEY_NV, KEY_TOTAL
from pipeline.write.template import write_template
from tests.strategies import property_settings

# Cells of the printed table 1.4 that no count of whole people can reproduce (see
# ../shared/reference/README.md): the printed table is not internally consistent.
PRINTED_INCONSISTENCIES = {
    ("groupe", "II", "effectif"): "les métiers supports imprimés totalisent 819, le total imprimé est 818",
    ("ventiles", "", "effectif"): "4 142 + 819 = 4 961 ; le total imprimé 4 960 reprend le 818 erroné",
    ("non_ventiles", "NV", "effectif"): "avec tous les métiers exacts et une branche de 5 523, il reste 562 "
                                        "non ventilés, non 563",
    ("metier", "0802", "pct"): "28 / 5 523 = 0,51 %, imprimé 0,50 % (effectifs fractionnaires arrondis à l'origine)",
    ("metier", "0902", "pct"): "35 / 5 523 = 0,63 %, imprimé 0,62 %",
    ("famille", "08", "pct"): "115 / 5 523 = 2,08 %, imprimé 2,07 %",
    ("famille", "09", "pct"): "343 / 5 523 = 6,21 %, imprimé 6,20 %",
    ("groupe", "II", "pct"): "819 / 5 523 = 14,83 %, imprimé 14,81 % (pour 818)",
    ("ventiles", "", "pct"): "4 961 / 5 523 = 89,82 %, imprimé 89,81 %",
    ("non_ventiles", "NV", "pct"): "562 / 5 523 = 10,18 %, imprimé 10,19 %",
}


def test_demo_reproduces_table_1_4(demo):
    _, r = demo
    table = r.consolidation.table
    printed = published_table()
    printed_rows = printed[printed["niveau"] != "emploi"].set_index(["niveau", "cle"])
    mismatches = {}
    for t in table.itertuples(index=False):
        p = printed_rows.loc[(t.niveau, t.code)]
        if int(p["effectif"]) != t.effectif:
            mismatches[(t.niveau, t.code, "effectif")] = (t.effectif, int(p["effectif"]))
        if round(t.pourcentage * 100, 2) != p["pct_imprime"]:
            mismatches[(t.niveau, t.code, "pct")] = (round(t.pourcentage * 100, 2), p["pct_imprime"])
        if t.niveau == "metier" and int(p["nb_societes"]) != t.nb_societes:
            mismatches[(t.niveau, t.code, "nb_societes")] = (t.nb_societes, int(p["nb_societes"]))
    assert set(mismatches) == set(PRINTED_INCONSISTENCIES), mismatches
    metiers = table[table["niveau"] == "metier"]
    assert len(metiers) == 39
    assert int(table.loc[table["niveau"] == "branche", "effectif"].iloc[0]) == 5523


def test_demo_reproduces_the_0101_emplois_of_section_1_7(demo):
    _, r = demo
    e = r.consolidation.emplois.set_index(["code_metier", "rang_emploi"])
    assert (int(e.loc[("0101", 1), "effectif"]), int(e.loc[("0101", 1), "nb_societes"])) == (88, 5)
    assert (int(e.loc[("0101", 2), "effectif"]), int(e.loc[("0101", 2), "nb_societes"])) == (3, 2)
    assert round(float(e.loc[("0101", 1), "pourcentage"]) * 100, 2) == 1.59
    assert round(float(e.loc[("0101", 2), "pourcentage"]) * 100, 2) == 0.05


def test_demo_split_is_fictional_but_complete(demo, campaign):
    _, r = demo
    per_company = r.consolidation.par_societe.loc[("branche", "")]
    assert set(per_company.index) == set(campaign.societes["identifiant"])
    assert (per_company > 0).all() and int(per_company.sum()) == 5523


def _workbook(demo):
    _, r = demo
    return r.consolidation_path, openpyxl.load_workbook(r.consolidation_path)


def _rows(ws):
    return {row[0].value: row for row in ws.iter_rows() if isinstance(row[0].value, str)}


def test_synthese_sheet_reads_like_table_1_4(demo):
    path, wb = _workbook(demo)
    assert wb.sheetnames == ["Chiffres clés", "Synthèse", "Base de données", "Graphique", "Commentaires", "Par société",
                             "Sources", "Secret"]
    assert wb.active.title == "Chiffres clés"
    ws = wb["Synthèse"]
    rows = _rows(ws)
    code, title, effectif, pct, nb = rows["0102"][:5]
    assert (title.value, effectif.value, nb.value) == ("Chargé(e) d'assistance", 2799, 8)
    assert isinstance(pct.value, float) and pct.number_format == '0.00"\u00a0"%'  # « 50,94 % »
    assert abs(pct.value - 2799 / 5523) < 1e-12
    labels = {row[0].value: row[2].value for row in ws.iter_rows() if row[0].value and row[2].value is not None}
    assert labels["TOTAL EFFECTIFS BRANCHE AU 01/07/2007"] == 5523
    assert labels["TOTAL EFFECTIFS NON VENTILÉS DANS LES FICHES MÉTIERS"] == 562
    assert labels["Sous-total 01 - Opérations d'assistance"] == 3399
    assert "Sociétés consolidées : 9 sur 9 attendues." in [c.value for c in ws["A"]]


def test_base_de_donnees_has_emplois_and_totals(demo):
    _, wb = _workbook(demo)
    ws = wb["Base de données"]
    rows = [r for r in ws.iter_rows(values_only=True)]
    first = next(i for i, r in enumerate(rows) if r[0] == "0101")
    assert rows[first][3] == "Chargé(e) d'accueil d'assistance" and rows[first][5] == 88 and rows[first][6] == 91
    assert rows[first + 1][3] == "Encadrant(e) des chargé(e)s d'accueil d'assistance" and rows[first + 1][5] == 3
    assert rows[first][9] == 5 and rows[first + 1][9] == 2 and rows[first][10] == 5
    assert "Standardiste" in rows[first][4]
    assert rows[first][2].startswith("Reçoit, identifie et oriente")


def test_par_societe_is_marked_confidential_and_shows_what_each_company_typed(demo, campaign, figures):
    _, wb = _workbook(demo)
    ws = wb["Par société"]
    assert ws["A1"].value.startswith("CONFIDENTIEL")
    header = [c.value for c in ws[4]]
    assert header[2:-1] == list(campaign.societes["raison_sociale"]) and header[-1] == "Branche"
    # expected from the figures typed in the returns, not from the consolidation
    code_of = dict(zip(campaign.nomenclature.lignes["cle"], campaign.nomenclature.lignes["code_metier"]))
    ids = list(campaign.societes["identifiant"])
    typed = {c: defaultdict(int) for c in ids}
    for company in ids:
        for key, n in figures[company].items():
            if key != KEY_TOTAL:
                typed[company][code_of.get(key, key)] += n
    listed = list(ws.iter_rows(min_row=5, values_only=True))
    rows = {row[0]: row for row in listed}
    for code in campaign.nomenclature.metiers["code_metier"]:
        assert list(rows[code][2:]) == [typed[c][code] for c in ids] + [sum(typed[c][code] for c in ids)], code
    branch = next(r for r in listed if str(r[1]).startswith("TOTAL EFFECTIFS BRANCHE"))
    assert list(branch[2:]) == [figures[c][KEY_TOTAL] for c in ids] + [5523]
    assert list(rows[KEY_NV][2:-1]) == [figures[c].get(KEY_NV, 0) for c in ids]


def test_chart_and_sources(demo):
    path, wb = _workbook(demo)
    with zipfile.ZipFile(path) as zf:
        chart = zf.read("xl/charts/chart1.xml").decode()
    assert "<c:pieChart>" in chart and "Graphique" in chart
    sources = [r for r in wb["Sources"].iter_rows(min_row=4, values_only=True) if r[2]]
    assert len([r for r in sources if str(r[2]).endswith(".xlsx")]) == 9


def test_coverage_names_the_missing_companies(good_returns, campaign, tmp_path):
    folder = campaign.inputs_dir(tmp_path)
    folder.mkdir(parents=True)
    for company in ("acta", "ima"):
        (folder / good_returns[company].name).write_bytes(good_returns[company].read_bytes())
    c = consolidate(ingest(campaign, tmp_path))
    assert sorted(c.retenues["identifiant"]) == ["acta", "ima"]
    assert len(c.absentes) == 7 and set(c.absentes["motif"]) == {"aucun fichier reçu"}
    ws = openpyxl.load_workbook(write_consolidation(c, tmp_path / "c.xlsx"))["Synthèse"]
    texts = [c.value for c in ws["A"] if isinstance(c.value, str)]
    assert "Sociétés consolidées : 2 sur 9 attendues." in texts
    assert "Non consolidée : Europ Assistance (aucun fichier reçu)." in texts


def _independent(campaign, fills):
    """The branch table computed with plain Python from what was typed."""
    lines = campaign.nomenclature.lignes.set_index("cle")
    family = dict(zip(campaign.nomenclature.metiers["code_metier"], campaign.nomenclature.metiers["code_famille"]))
    metier, fam, companies = defaultdict(int), defaultdict(int), defaultdict(set)
    nv = 0
    for company, values in fills.items():
        for key, v in values.items():
            if key == KEY_NV:
                nv += v
            elif key != KEY_TOTAL:
                code = lines.loc[key, "code_metier"]
                metier[code] += v
                fam[family[code]] += v
                if v:
                    companies[code].add(company)
    return metier, fam, nv, {k: len(v) for k, v in companies.items()}


@property_settings(12)
@given(data=st.data())
def test_random_fills_match_an_independent_computation(tmp_path_factory, campaign, data):
    root = tmp_path_factory.mktemp("random")
    folder = campaign.inputs_dir(root)
    keys = list(campaign.nomenclature.lignes["cle"])
    companies = data.draw(st.lists(st.sampled_from(list(campaign.societes["identifiant"])), min_size=1,
                                   max_size=4, unique=True))
    fills = {}
    for company in companies:
        values = data.draw(st.dictionaries(st.sampled_from(keys + [KEY_NV]), st.integers(0, 3000), min_size=1))
        values[KEY_TOTAL] = sum(values.values())
        if values[KEY_TOTAL] == 0:
            values[KEY_NV] = values[KEY_TOTAL] = 1
        fills[company] = values
        write_template(campaign, company, folder / f"{company}.xlsx", values)
    c = consolidate(ingest(campaign, root))
    metier, fam, nv, nb = _independent(campaign, fills)
    t = c.table.set_index(["niveau", "code"])
    total = sum(metier.values()) + nv
    for code in campaign.nomenclature.metiers["code_metier"]:
        assert int(t.loc[("metier", code), "effectif"]) == metier.get(code, 0)
        assert int(t.loc[("metier", code), "nb_societes"]) == nb.get(code, 0)
        assert t.loc[("metier", code), "pourcentage"] == pytest.approx(metier.get(code, 0) / total)
    for code in campaign.nomenclature.familles["code_famille"]:
        assert int(t.loc[("famille", code), "effectif"]) == fam.get(code, 0)
    assert int(t.loc[("non_ventiles", "NV"), "effectif"]) == nv
    assert int(t.loc[("branche", ""), "effectif"]) == total == sum(v[KEY_TOTAL] for v in fills.values())


def test_branch_table_rejects_broken_figures(campaign):
    import pandas as pd
    bad = pd.DataFrame({"campagne": ["2007"], "societe": ["a"], "cle": ["0102"], "mesure": ["effectif"],
                        "categorie": ["tout"], "valeur": [-1.0]})
    with pytest.raises(RuntimeError, match="contract broken"):
        branch_table(campaign.nomenclature, bad)


def _many(c, n, rows=None):
    """The demo's consolidation with ``n`` companies (each a copy of a demo company, scaled), its branch
    table the sum of theirs; ``rows``: only these rows of table 1.4 (by position), for speed."""
    keep = list(range(len(c.table))) if rows is None else rows
    base = c.par_societe.iloc[keep]
    i = np.arange(n)
    wide = pd.DataFrame(base.to_numpy()[:, i % base.shape[1]] * (1 + i % 3), index=base.index,
                        columns=[f"S{k:05d}" for k in i])
    many = dataclasses.replace(c)
    many.__dict__["par_societe"] = wide
    many.__dict__["table"] = c.table.iloc[keep].assign(effectif=wide.sum(axis=1).to_numpy()).reset_index(drop=True)
    return many


def test_par_societe_keeps_companies_as_columns_up_to_30():
    assert not companies_as_rows(9) and not companies_as_rows(30)
    assert companies_as_rows(31) and companies_as_rows(17_000)


@pytest.mark.parametrize("n, rows", [(40, None), (17_000, [0, 1, -2, -1])])
def test_par_societe_lists_many_companies_as_rows(demo, tmp_path, n, rows):
    """Beyond 30 companies (and beyond Excel's 16,384 columns, where a column each lost cells silently) one
    row per company: every figure there, the companies summing to the branch. At 17,000 companies, four rows
    of table 1.4 only (two métiers, non-ventilés, branch), to stay fast."""
    _, r = demo
    c = _many(r.consolidation, n, rows)
    wb = xlsxwriter.Workbook(tmp_path / "many.xlsx", SAFE_OPTIONS)
    _write_par_societe(wb, formats(wb), c, ("titre", ""))
    wb.close()
    ws = openpyxl.load_workbook(tmp_path / "many.xlsx", read_only=True)[L.SHEET_PER_COMPANY]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0].startswith("CONFIDENTIEL")
    assert rows[3][:2] == (None, None) and rows[4][:2] == ("Identifiant", "Raison sociale")  # beside the labels
    table = list(c.table.itertuples(index=False))
    assert [x or None for x in rows[3][2:]] == [t.code if t.niveau == "metier" else None for t in table]
    assert rows[4][2] == table[0].libelle
    listed = rows[5:5 + n]
    assert [row[0] for row in listed] == list(c.par_societe.columns)
    expected = c.par_societe.to_numpy().T
    assert [list(row[2:]) for row in listed] == expected.tolist()
    branch = rows[5 + n + 1]
    assert branch[0] == "Branche" and list(branch[2:]) == [int(t.effectif) for t in table]
    assert list(branch[2:]) == expected.sum(axis=0).tolist()
    if n == 40:
        full = openpyxl.load_workbook(tmp_path / "many.xlsx")[L.SHEET_PER_COMPANY]
        assert full.freeze_panes == "C6" and full.auto_filter.ref == f"A5:{full.cell(5 + n, 2 + len(table)).coordinate}"
        assert full.print_title_rows == "$4:$5" and full.page_setup.orientation == "landscape"
        assert full.page_setup.paperSize == 9


def test_sources_of_many_companies_are_streamed_and_complete(demo, tmp_path):
    """Beyond 30 companies, « Sources » is written a row at a time (xlsxwriter's constant-memory mode for that
    sheet): every file used and every company missing still there, in order, the missing ones' reason merged
    over the last columns of their row."""
    from pipeline.write.consolidation import _write_sources

    _, r = demo
    n = 45
    used = pd.DataFrame({"identifiant": [f"s{i:03d}" for i in range(n)],
                         "raison_sociale": [f"Société d'assistance n° {i}" for i in range(n)],
                         "fichier": [f"effectifs_s{i:03d}.xlsx" for i in range(n)], "soumission": range(1, n + 1),
                         "recu_le": ["2026-09-01T10:15:00"] * n})
    absent = pd.DataFrame({"identifiant": ["x1", "x2"], "raison_sociale": ["Absente 1", "Absente 2"],
                           "motif": ["aucun fichier reçu", "fichier refusé"]})
    c = dataclasses.replace(r.consolidation, retenues=used, absentes=absent, revues=None)
    wb = xlsxwriter.Workbook(tmp_path / "sources.xlsx", SAFE_OPTIONS)
    _write_sources(wb, formats(wb), c, ("titre", ""))
    assert wb.worksheets()[0].constant_memory
    wb.close()
    ws = openpyxl.load_workbook(tmp_path / "sources.xlsx")[L.SHEET_SOURCES]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[2][:5] == tuple(L.SOURCES_HEADINGS)
    assert [row[:4] for row in rows[3:3 + n]] == [(f"s{i:03d}", f"Société d'assistance n° {i}", f"effectifs_s{i:03d}.xlsx",
                                                   str(i + 1)) for i in range(n)]
    assert {row[4] for row in rows[3:3 + n]} == {"01/09/2026 10:15"}
    assert rows[4 + n][0] == L.SOURCES_ABSENT and [row[:3] for row in rows[5 + n:7 + n]] == [
        ("x1", "Absente 1", "aucun fichier reçu"), ("x2", "Absente 2", "fichier refusé")]
    assert {str(m) for m in ws.merged_cells.ranges} == {f"C{6 + n}:E{6 + n}", f"C{7 + n}:E{7 + n}"}


def test_a_long_list_of_companies_not_consolidated_stays_within_a_cell(demo, tmp_path):
    """Thousands of companies missing: « Non consolidées » names the first 30 and counts the others, within
    Excel's 32,767 characters per cell (a cell beyond them is cut, or refused)."""
    from pipeline.write.keyfigures import write_key_figures

    _, r = demo
    absent = pd.DataFrame({"identifiant": [f"s{i:05d}" for i in range(5_000)],
                           "raison_sociale": [f"Société d'assistance numéro {i}" for i in range(5_000)],
                           "motif": "aucun fichier reçu"})
    c = dataclasses.replace(r.consolidation, absentes=absent)
    wb = xlsxwriter.Workbook(tmp_path / "cles.xlsx", SAFE_OPTIONS)
    write_key_figures(wb, formats(wb), c)
    wb.close()
    texts = [v for row in openpyxl.load_workbook(tmp_path / "cles.xlsx").worksheets[0].iter_rows(values_only=True)
             for v in row if isinstance(v, str) and v.startswith("Non consolidées")]
    assert len(texts) == 1 and len(texts[0]) < 32_767
    assert "numéro 30" not in texts[0] and texts[0].endswith("numéro 29 … et 4\u202f970 autres")
