"""Two successive campaigns run as the secretary would, through the CLI: the 2007 demo, then 2026 with a
nomenclature change, a corrected file sent twice, revised figures, a late company and a missing one."""

import datetime as dt
import json
import os
import shutil
import sqlite3

import openpyxl
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.demo import sample_figures, write_sample_returns
from pipeline.core.campaign import embedded_campaign_path, load_campaign
from pipeline.core.form import KEY_NV, KEY_TOTAL, SHEET_INPUT
from tests.auditor import read_diffusion
from tests.conftest import row_of, values_2026, variant_nomenclature


def _cli(root, *args):
    result = CliRunner().invoke(main, ["--racine", str(root), *args], prog_name="effectifs", catch_exceptions=False)
    return result


def _fill(template, target, values, saved: dt.datetime, comments=None):
    """HR types the figures into the template they received and saves it (its date says when HR saved it,
    not when the secretariat received it)."""
    wb = openpyxl.load_workbook(template)
    ws = wb[SHEET_INPUT]
    comment_col = next(c.column for c in ws[10] if c.value == "Commentaire")
    for key, v in values.items():
        ws.cell(row_of(ws, key), 5).value = v
    for key, text in (comments or {}).items():
        ws.cell(row_of(ws, key), comment_col).value = text
    wb.save(target)
    os.utime(target, (saved.timestamp(), saved.timestamp()))


def test_two_campaigns_end_to_end(tmp_path):
    root = tmp_path
    # The 2007 campaign, run for real in this project: its file, its returns (the demo's figures), consolidated.
    (root / "campagnes").mkdir()
    shutil.copyfile(embedded_campaign_path("2007"), root / "campagnes" / "2007.toml")
    write_sample_returns(load_campaign("2007", root), root / "inputs" / "2007")
    assert _cli(root, "consolider", "-c", "2007").exit_code == 0
    # The demo, run beside it, lives in its own folder and never becomes a real campaign's history.
    assert _cli(root, "demo").exit_code == 0 and (root / "demo" / "outputs").is_dir()
    out = _cli(root, "nouvelle-campagne", "2026", "--date-arrete", "01/07/2026", "--date-limite", "15/10/2026")
    assert out.exit_code == 0 and 'precedente = "2007"' in (root / "campagnes" / "2026.toml").read_text("utf-8")
    variant_nomenclature(root / "campagnes" / "nom2026", remove=["0804"],
                         add=["0108;01;Psychologue d'assistance;;;;"],
                         retitle={"0803": "Chargé(e) de formation et formateur(trice)"},
                         correspondences=[("0104", "0104", "scission"), ("0104", "0108", "psychologues"),
                                          ("0803", "0803", "fusion"), ("0804", "0803", "fusion")])
    toml = root / "campagnes" / "2026.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('nomenclature = "defaut"', 'nomenclature = "nom2026"'),
                    encoding="utf-8")
    assert _cli(root, "modeles", "-c", "2026").exit_code == 3  # the test contacts are placeholders: refused
    out = _cli(root, "modeles", "-c", "2026", "--forcer")
    assert out.exit_code == 0 and "Colonne de rappel N−1 : chiffres retenus de la campagne 2007." in out.output

    c2026 = load_campaign("2026", root)
    f2007 = sample_figures(load_campaign(embedded_campaign_path("2007"), root))
    templates = root / "templates_xlsx" / "2026"
    inputs = root / "inputs" / "2026"
    assert inputs.is_dir() and not any(inputs.iterdir())  # modeles made the folder the returns go to
    on_time = dt.datetime(2026, 9, 15, 10)
    saved_long_ago = dt.datetime(2026, 6, 1)  # a file's own date never says when it arrived
    final = {}
    for soc in c2026.societes.itertuples(index=False):
        if soc.identifiant == "delta-services":
            continue  # never returns anything
        v = values_2026(f2007[soc.identifiant])
        if "0104" in v and v["0104"] >= 3:  # the psychologists now have their own métier
            v["0104"] -= 2
            v["0108"] = 2
        final[soc.identifiant] = v
        if soc.identifiant == "acta":  # first sent with a negative figure
            bad = {**v, "0102": -v.get("0102", 0)}
            _fill(templates / soc.fichier, inputs / "acta_v1.xlsx", bad, saved_long_ago)
            continue
        if soc.identifiant != "garantie-assistance":  # it arrives late, below
            _fill(templates / soc.fichier, inputs / soc.fichier, v, saved_long_ago)

    out = _cli(root, "controler", "-c", "2026", "--recu-le", "15/09/2026 10:00")
    assert out.exit_code == 1 and "[rejeté] acta_v1.xlsx (Acta)" in out.output

    # Acta sends a corrected file; the secretary replaces the first one.
    (inputs / "acta_v1.xlsx").unlink()
    _fill(templates / "effectifs_2026_acta.xlsx", inputs / "acta_v2.xlsx", final["acta"], saved_long_ago)
    # IMA revises its figures after a first accepted file (+10 chargé(e)s d'assistance), explained.
    first_ima = inputs / "effectifs_2026_ima.xlsx"
    assert _cli(root, "controler", "-c", "2026", "--recu-le", "2026-09-20").exit_code == 1  # Delta still missing
    first_ima.unlink()
    final["ima"] = {**final["ima"], "0102": final["ima"]["0102"] + 10, KEY_TOTAL: final["ima"][KEY_TOTAL] + 10}
    _fill(templates / "effectifs_2026_ima.xlsx", inputs / "ima_revise.xlsx", final["ima"], saved_long_ago,
          comments={"0102": "recrutements de l'été"})
    assert _cli(root, "controler", "-c", "2026", "--recu-le", "25/09/2026").exit_code == 1
    _fill(templates / "effectifs_2026_garantie-assistance.xlsx", inputs / "effectifs_2026_garantie-assistance.xlsx",
          final["garantie-assistance"], on_time)  # saved on time, but received after the deadline

    status = _cli(root, "status", "-c", "2026", "--au", "25/10/2026", "--recu-le", "20/10/2026 16:00", "--json")
    assert status.exit_code == 1
    board = {s["identifiant"]: s for s in json.loads(status.stdout)["societes"]}
    assert board["delta-services"]["statut"] == "manquant" and board["delta-services"]["en_retard"] is True
    assert board["garantie-assistance"]["en_retard"] is True and board["garantie-assistance"]["recu_le"] == \
        "2026-10-20T16:00:00"
    assert board["acta"]["fichiers_recus"] == 2 and board["acta"]["dernier_fichier"] == "acta_v2.xlsx"
    assert board["ima"]["fichiers_recus"] == 2 and board["ima"]["statut"].startswith("accepté")
    assert all(board[c]["en_retard"] is False for c in ("acta", "ima", "europ-assistance"))
    assert json.loads(status.stdout)["relances"] == ["delta-services"]

    out = _cli(root, "consolider", "-c", "2026")
    assert out.exit_code == 1  # complete only when Delta Services returns

    # The history: every file, its status; the consolidation used the latest accepted ones.
    db = sqlite3.connect(root / "outputs" / "historique.sqlite")
    subs = db.execute("SELECT file_name, status FROM submissions WHERE campaign_id = '2026' ORDER BY id").fetchall()
    names = [s[0] for s in subs]
    assert names.count("acta_v1.xlsx") == 1 and ("acta_v1.xlsx", "rejeté") in subs
    assert "effectifs_2026_ima.xlsx" in names and "ima_revise.xlsx" in names and len(subs) == 10
    used = {r[0] for r in db.execute(
        "SELECT s.file_name FROM consolidation_sources cs JOIN submissions s ON s.id = cs.submission_id "
        "WHERE cs.consolidation_id = (SELECT MAX(id) FROM consolidations WHERE campaign_id = '2026')")}
    assert "acta_v2.xlsx" in used and "ima_revise.xlsx" in used and "effectifs_2026_ima.xlsx" not in used
    assert len(used) == 8

    # The evolution, against an independent computation from what was typed.
    ws = openpyxl.load_workbook(root / "outputs" / "2026" / "consolidation.xlsx")["Synthèse"]
    header = next(r for r in ws.iter_rows() if r[0].value == "Code")
    col = {c.value: c.column - 1 for c in header}
    rows = {r[0]: r for r in ws.iter_rows(values_only=True) if r[0]}
    by_label = {r[0]: r for r in ws.iter_rows(values_only=True) if isinstance(r[0], str)}

    def n(code):
        return sum(v.get(code, 0) for v in final.values())

    def n1(code, companies=None):
        return sum(v.get(code, 0) for c, v in f2007.items() if companies is None or c in companies)

    # The evolution that counts compares the same companies (Delta Services, consolidated in 2007 only, is out).
    same_now, same_before = "Mêmes sociétés : effectif au 01/07/2026", "Mêmes sociétés : effectif au 01/07/2007"
    for code in ("0102", "0201", "0701", "0901"):
        assert rows[code][col["Effectif branche"]] == n(code)
        assert rows[code][col[same_now]] == n(code)
        assert rows[code][col[same_before]] == n1(code, final)
        assert rows[code][col["Évolution"]] == n(code) - n1(code, final)
    assert rows["0104"][col[same_before]] == "—"
    branch = by_label["TOTAL EFFECTIFS BRANCHE AU 01/07/2026"]
    assert branch[col["Effectif branche"]] == sum(v[KEY_TOTAL] for v in final.values())
    assert branch[col[same_before]] == sum(f2007[c][KEY_TOTAL] for c in final) < 5523
    nv = by_label["TOTAL EFFECTIFS NON VENTILÉS DANS LES FICHES MÉTIERS"]
    assert nv[col["Effectif branche"]] == n(KEY_NV) and nv[col[same_before]] == n1(KEY_NV, final)
    texts = [c.value for c in ws["A"] if isinstance(c.value, str)]
    assert "Sociétés consolidées en 2007 seulement : Delta Services." in texts
    assert any(t.startswith("Évolution à champ constant depuis la campagne 2007 (effectifs au 01/07/2007) : les "
                            "8 sociétés consolidées les deux années") for t in texts)
    groups = {r[1]: r for r in ws.iter_rows(values_only=True) if isinstance(r[1], str) and "←" in r[1]}
    assert groups["0104 + 0108 ← 0104"][5] == n("0104") + n("0108")
    assert groups["0104 + 0108 ← 0104"][6] == n1("0104", final)
    assert groups["0803 ← 0803 + 0804"][6] == n1("0803", final) + n1("0804", final)

    # The raw comparison, beside it and labelled as such: everything consolidated in 2007 (5 523 people).
    raw = openpyxl.load_workbook(root / "outputs" / "2026" / "consolidation.xlsx")["Évolution brute"]
    raw_header = next(r for r in raw.iter_rows(values_only=True) if r[0] == "Code")
    raw_col = {h: i for i, h in enumerate(raw_header)}
    raw_rows = {r[0]: r for r in raw.iter_rows(values_only=True) if r[0]}
    assert raw_rows["0102"][raw_col["Toutes sociétés : effectif au 01/07/2007"]] == n1("0102")
    total = next(r for r in raw.iter_rows(values_only=True) if r[1] == "TOTAL EFFECTIFS BRANCHE AU 01/07/2026")
    assert total[raw_col["Toutes sociétés : effectif au 01/07/2007"]] == 5523
    assert "8 sociétés au 01/07/2026, 9 sociétés au 01/07/2007" in raw["A2"].value

    # The published edition shows the raw comparison: its N−1 figures are those of the 2007 published edition
    # (Delta Services included), never the constant-scope ones, and only where both editions publish the cell.
    c2007 = load_campaign("2007", root)
    old, _, _, _ = read_diffusion(root / "outputs" / "2007" / "diffusion.xlsx", c2007.nomenclature)
    published, _, previous, change = read_diffusion(root / "outputs" / "2026" / "diffusion.xlsx", c2026.nomenclature)
    assert previous["branche:"] == 5523 and change["branche:"] == published["branche:"] - 5523
    assert previous["metier:0102"] == old["metier:0102"] == n1("0102")
    assert "metier:0104" not in previous  # split: not comparable ("—")
    for cell, before in previous.items():
        assert before is None or before == old[cell], cell
        if old.get(cell, 0) is None:
            assert before is None and change[cell] is None, cell
    public = openpyxl.load_workbook(root / "outputs" / "2026" / "diffusion.xlsx")["Synthèse"]
    assert any(isinstance(c.value, str) and c.value.startswith("Évolution par rapport à l'édition publiée de la "
                                                               "campagne 2007") for c in public["A"])
    assert not any(isinstance(c.value, str) and "Delta Services" in c.value for c in public["A"])
    # The note says what changed in the nomenclature: readers of the edition see 0804 go without a word otherwise.
    assert "Nomenclature : depuis la campagne 2007, 0104 scindé en 0104 + 0108 ; 0803 + 0804 regroupés en 0803. Un " \
           "métier scindé ou regroupé ne se compare qu'avec ceux dont il provient (voir sa remarque)." \
           in [c.value for c in public["A"]]
    head = next(r for r in public.iter_rows(values_only=True) if r[0] == "Code")
    notes = {r[0]: r[head.index("Remarque")] for r in public.iter_rows(values_only=True) if r[0] in ("0108", "0803")}
    assert "scindé" in notes["0108"] and "fusionné" in notes["0803"]  # the nomenclature changed: remarks printed
    assert notes["0108"] == "scindé (0104 + 0108 ← 0104) : comparable seulement ensemble"
    # The groups are compared edition to edition where every métier they hold is published both times (their sums
    # reveal nothing more), under the table; the others are left out.
    groups = {r[1]: r for r in public.iter_rows(values_only=True) if isinstance(r[1], str) and " ← " in r[1]}
    for label, now, before in (("0104 + 0108 ← 0104", ("0104", "0108"), ("0104",)),
                               ("0803 ← 0803 + 0804", ("0803",), ("0803", "0804"))):
        if all(published[f"metier:{c}"] is not None for c in now) and all(old[f"metier:{c}"] is not None
                                                                           for c in before):
            assert groups[label][2] == sum(published[f"metier:{c}"] for c in now), label
            assert groups[label][5] == sum(old[f"metier:{c}"] for c in before), label
        else:
            assert label not in groups, label
    assert groups, "at least one group is published in this data"
    with open(root / "outputs" / "2026" / "diffusion.csv", encoding="utf-8") as f:
        branch_row = next(line for line in f if line.startswith("2026,2026-07-01,branche,"))
    assert ",5523," in branch_row
