"""Year-over-year checks of each company's figures against its previous campaign."""

import numpy as np
import openpyxl
import pandas as pd

from pipeline.check.yoy import HB_A, HB_C, HB_U, hidiroglou_berthelot
from tests.helpers import ACCEPTED, WARNED
from tests.helpers import run_campaign
from pipeline.core.form import KEY_TOTAL, SHEET_INPUT
from pipeline.write.template import write_template
from tests.conftest import fresh_root, values_2026


def _reference_hb(x1, x2):
    """Hidiroglou–Berthelot written out independently, on plain lists."""
    units = [(i, a, b) for i, (a, b) in enumerate(zip(x1, x2)) if a > 0 and b > 0]
    r = {i: b / a for i, a, b in units}
    med = float(np.median(list(r.values())))
    e = {}
    for i, a, b in units:
        s = 1 - med / r[i] if r[i] < med else r[i] / med - 1
        e[i] = s * max(a, b) ** HB_U
    values = np.array(list(e.values()))
    q1, em, q3 = np.quantile(values, 0.25), np.median(values), np.quantile(values, 0.75)
    d1, d3 = max(em - q1, abs(HB_A * em)), max(q3 - em, abs(HB_A * em))
    return {i for i, v in e.items() if (v < em - HB_C * d1 or v > em + HB_C * d3)
            and abs(x2[i] - x1[i]) >= 3 and abs(x2[i] - x1[i]) >= 0.1 * x1[i]}


def test_hidiroglou_berthelot_matches_an_independent_computation():
    rng = np.random.default_rng(4)
    x1 = rng.integers(0, 400, 200)
    x2 = (x1 * rng.normal(1.03, 0.05, 200)).round().astype(int)
    x2[[5, 17, 60]] = x1[[5, 17, 60]] * 3 + 10   # real jumps
    x2[[80]] = 2                                  # a collapse
    got = set(np.flatnonzero(hidiroglou_berthelot(pd.Series(x1, dtype=float), pd.Series(x2, dtype=float))))
    assert got == _reference_hb(list(x1), list(x2))
    assert {5, 17, 60, 80} <= got
    assert len(got) < 20


def test_no_test_with_too_few_units_and_no_warning_for_small_moves():
    assert not hidiroglou_berthelot(pd.Series([10.0, 20, 30]), pd.Series([30.0, 20, 30])).any()
    x1 = pd.Series([100.0] * 20)
    x2 = x1.copy()
    x2[3] = 102  # everything else unchanged: the spread is zero, but +2 is not material
    assert not hidiroglou_berthelot(x1, x2).any()


def _returns_2026(two_campaigns, root, figures, changes):
    _, _, c2026 = two_campaigns
    folder = c2026.inputs_dir(root)
    for company, f in figures.items():
        v = values_2026(f)
        comments = {}
        for key, (delta, comment) in changes.get(company, {}).items():
            v[key] = v.get(key, 0) + delta
            v[KEY_TOTAL] += delta
            if comment:
                comments[key] = comment
        write_template(c2026, company, folder / f"{company}.xlsx", v, comments)
    return c2026


def test_unusual_changes_are_warned_and_explained_ones_informed(two_campaigns, figures, tmp_path):
    root = fresh_root(two_campaigns, tmp_path)
    changes = {"acta": {"0102": (80, " 16 ")},          # a jump, unexplained: a bare number explains nothing
               "ima": {"0102": (-300, "transfert du plateau auto vers une filiale")},  # explained
               "fidelia": {"0106": (12, "")},                                    # a métier that appears
               "mondial-assistance": {"0803": (-9, "")}}  # 0803 + 0804 of 2007, merged into 0803, all gone
    assert figures["fidelia"].get("0106", 0) == 0
    assert figures["mondial-assistance"].get("0803", 0) + figures["mondial-assistance"].get("0804", 0) == 9
    c2026 = _returns_2026(two_campaigns, root, figures, changes)
    run = run_campaign(c2026, root)
    m = run.checked.rendered_messages
    status = run.checked.fichiers.set_index("fichier")["statut"]
    acta = m[(m["fichier"] == "acta.xlsx")]
    assert any("évolution inhabituelle : 0102 Chargé(e) d'assistance passe de" in t for t in acta["message"])
    assert set(acta["gravite"]) == {"avertissement"} and status["acta.xlsx"] == WARNED
    assert not acta["message"].str.contains("expliqué").any()
    assert any(t.startswith("effectif total déclaré") for t in acta["message"])
    ima = m[m["fichier"] == "ima.xlsx"]
    line = ima[ima["message"].str.contains("0102")].iloc[0]
    assert line["gravite"] == "information" and "expliqué en commentaire : « transfert du plateau" in line["message"]
    fid = m[m["fichier"] == "fidelia.xlsx"]
    assert any("métier apparu : 0106 Chargé(e) de réservation compte 12 personnes, aucune en 2007" in t
               for t in fid["message"])
    cell = fid[fid["message"].str.contains("métier apparu")].iloc[0]["cellule"]
    ws = openpyxl.load_workbook(c2026.inputs_dir(root) / "fidelia.xlsx")[SHEET_INPUT]
    assert ws[cell].value == 12
    mondial = m[m["fichier"] == "mondial-assistance.xlsx"]  # the merged group says what its N−1 figure adds up
    assert "métier disparu : 0803 Chargé(e) de formation (auparavant 0803 + 0804) comptait 9 personnes en 2007, " \
           "aucune maintenant" in list(mondial["message"])
    quiet = [f for f in status.index if f not in ("acta.xlsx", "ima.xlsx", "fidelia.xlsx", "mondial-assistance.xlsx")]
    assert all(status[f] == ACCEPTED for f in quiet), m[m["fichier"].isin(quiet)].to_string()
    # Listed in the control report and the return-to-sender workbook.
    report = openpyxl.load_workbook(run.control_report)["Anomalies"]
    assert any("évolution inhabituelle" in str(r[5]) for r in report.iter_rows(values_only=True))
    sent_back = openpyxl.load_workbook(run.control_report.parent / "retours" / "acta.xlsx")["Anomalies"]
    assert any("évolution inhabituelle" in str(v) for r in sent_back.iter_rows(values_only=True) for v in r)


def test_a_rejected_file_gets_its_year_over_year_warnings_in_the_same_round(two_campaigns, figures, tmp_path):
    """Acta's file has an error (a negative figure) and an unusual jump elsewhere: both are sent back at once,
    so that HR does not need a second round trip; the row in error is not compared."""
    root = fresh_root(two_campaigns, tmp_path)
    c2026 = _returns_2026(two_campaigns, root, figures, {"acta": {"0102": (80, "")}})
    path = c2026.inputs_dir(root) / "acta.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_INPUT]
    row = next(r for r in ws.iter_rows(min_row=1) if r[0].value == "0201")
    row[4].value = -(figures["acta"].get("0201", 0) + 5)
    wb.save(path)
    run = run_campaign(c2026, root)
    m = run.checked.rendered_messages
    acta = m[m["fichier"] == "acta.xlsx"]
    assert run.checked.fichiers.set_index("fichier").loc["acta.xlsx", "statut"] == "rejeté"
    assert any("évolution inhabituelle : 0102" in t for t in acta["message"])
    assert not any("0201" in t for t in acta.loc[acta["gravite"] != "erreur", "message"])
    sent_back = openpyxl.load_workbook(run.control_report.parent / "retours" / "acta.xlsx")["Anomalies"]
    texts = [str(v) for r in sent_back.iter_rows(values_only=True) for v in r]
    assert any("évolution inhabituelle" in t for t in texts) and any("négati" in t for t in texts)


def test_a_campaign_with_a_predecessor_and_nothing_usable_yet_is_checked_without_a_crash(two_campaigns, tmp_path):
    """2026 follows 2007 (figures in the history): an empty folder (the campaign's start), then a folder holding
    only a rejected file, are checked — nothing to compare, no crash (found by a walk-through: KeyError 'fichier',
    an empty list of booleans taken for a list of columns)."""
    from pipeline.api import Project

    root = fresh_root(two_campaigns, tmp_path)
    _, _, c2026 = two_campaigns
    project = Project(root)
    run = project.check(c2026)
    assert run.checked.fichiers.empty and project.status(c2026) is not None
    (c2026.inputs_dir(root) / "notes.xlsx").write_bytes(b"not a workbook")
    run = project.consolidate(c2026)
    assert list(run.checked.fichiers["statut"]) == ["rejeté"] and run.consolidation is None


def test_figures_accepted_before_a_code_changed_are_not_dropped_without_a_word(two_campaigns, figures, tmp_path):
    """2026's returns accepted, then its nomenclature edited: 0108 becomes 0109. The figures kept in the history
    still say 0108, which the branch table no longer has: consolidating would lose those people (the total short
    by them, « 9 sociétés sur 9 » all the same — found by a walk-through). It is refused, each company named."""
    import pytest

    from pipeline.api import Project
    from pipeline.core.campaign import load_campaign
    from pipeline.core.errors import UserError

    root = fresh_root(two_campaigns, tmp_path)
    c2026 = _returns_2026(two_campaigns, root, figures, {"acta": {"0108": (3, "")}, "ima": {"0108": (2, "")}})
    project = Project(root)
    assert project.consolidate(c2026).consolidation is not None
    folder = root / "campagnes" / "nom2026"
    for name, old, new in (("metiers.csv", "0108;01;", "0109;01;"), ("correspondances.csv", "0104;0108", "0104;0109")):
        (folder / name).write_text((folder / name).read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    with pytest.raises(UserError) as err:
        project.consolidate(load_campaign("2026", root))
    assert str(err.value).startswith("Les chiffres retenus pour 2 sociétés portent des codes de ligne que la "
                                     "nomenclature de la campagne 2026 n'a plus")
    assert err.value.details[:2] == ["Acta : 0108 (3 personnes)", "Inter Mutuelles Assistance : 0108 (2 personnes)"]
    # What the stopped run wrote of the companies' figures stays readable by its owner only.
    written = [root / "outputs" / "2026" / "controle.xlsx", *(root / "outputs" / "2026" / "retours").glob("*")]
    assert written[0].is_file() and {oct(p.stat().st_mode & 0o777) for p in written if p.is_file()} == {"0o600"}
