"""The N−1 reminder column: the previous campaign's accepted figures, locked, beside empty inputs."""

from email.parser import BytesParser
from email.policy import default

import openpyxl

from tests.helpers import ACCEPTED, ingest
from pipeline.api import Project
from pipeline.core.form import KEY_NV, KEY_TOTAL, SHEET_GUIDE, SHEET_INPUT, previous_heading
from pipeline.write.template import write_template
from tests.conftest import row_of


def _cells(path):
    ws = openpyxl.load_workbook(path)[SHEET_INPUT]
    return ws, {c.value: c.column for c in ws[10] if c.value}


def test_reminder_column_holds_last_campaigns_figures(two_campaigns, figures):
    root, _, c2026 = two_campaigns
    done = Project(root).write_templates(c2026, force=True)
    paths, note = done.paths, done.note
    assert "Colonne de rappel N−1 : chiffres acceptés de la campagne 2007." == note
    # The e-mail sending each template is ready: the template attached, the reminder column explained.
    mail = BytesParser(policy=default).parse((done.drafts / "acta.eml").open("rb"))
    assert mail["Subject"] == "Actualisation des effectifs par métier au 01/07/2026 — Acta"
    assert mail["To"].addresses[0].addr_spec == c2026.societes.set_index("identifiant").loc["acta", "email"]
    body = mail.get_body(("plain",)).get_content()
    assert "au plus tard le 15/10/2026" in body and "lors de la campagne 2007" in body
    assert [a.get_content() for a in mail.iter_attachments()] == [paths[0].read_bytes()]
    assert sorted(p.stem for p in done.drafts.glob("*.eml")) == sorted(c2026.company_ids)
    # a company without figures retained last time gets an empty column, which the guide sheet explains
    guide = " ".join(str(c.value) for row in openpyxl.load_workbook(paths[0])[SHEET_GUIDE].iter_rows() for c in row
                     if c.value)
    assert ("(elle reste vide si aucun fichier de votre société n'a été retenu lors de cette campagne, et sur la "
            "ligne d'un métier créé, scindé ou fusionné depuis, qui ne se compare pas ligne à ligne)") in guide
    ws, heads = _cells(paths[0])  # acta
    n1, effectif = heads[previous_heading(c2026)], heads["Effectif au 01/07/2026"]
    assert n1 == effectif + 1 and heads["Commentaire"] == n1 + 1
    f = figures["acta"]
    assert ws.cell(row_of(ws, "0102"), n1).value == f.get("0102", 0)
    assert ws.cell(row_of(ws, "0101-2"), n1).value == f.get("0101-2", 0)
    assert ws.cell(row_of(ws, KEY_NV), n1).value == f[KEY_NV]
    assert ws.cell(row_of(ws, KEY_TOTAL), n1).value == f[KEY_TOTAL]
    for key in ("0104", "0108", "0803"):  # split or merged: no one-to-one figure to show
        assert ws.cell(row_of(ws, key), n1).value is None, key
    assert ws.cell(row_of(ws, "0102"), n1).protection.locked is True
    # The inputs themselves are left empty.
    for key in ("0102", "0101-2", KEY_NV, KEY_TOTAL):
        assert ws.cell(row_of(ws, key), effectif).value is None
    family01 = next(r for r in range(11, ws.max_row + 1) if ws.cell(r, 2).value == "Sous-total 01 - Opérations d'assistance")
    assert ws.cell(family01, n1).value == sum(v for k, v in f.items() if k.startswith("01"))


def test_filled_template_with_reminder_column_is_read_right(two_campaigns, tmp_path):
    root, _, c2026 = two_campaigns
    values = {"0102": 70, "0108": 2, "0803": 3, KEY_NV: 5, KEY_TOTAL: 80}
    folder = c2026.inputs_dir(tmp_path)
    write_template(c2026, "acta", folder / "acta.xlsx", values, comments={"0102": "réorganisation"},
                   previous={0: 1.0})
    result = ingest(c2026, tmp_path)
    assert result.fichiers["statut"].tolist() == [ACCEPTED], result.messages.to_string()
    got = result.effectifs.set_index("cle")
    assert {k: int(got.loc[k, "effectif"]) for k in values if k != KEY_TOTAL} == \
        {k: v for k, v in values.items() if k != KEY_TOTAL}
    comments = result.commentaires.set_index("cle")
    assert comments.loc["0102", "texte"] == "réorganisation" and comments.loc["0102", "source"] == "colonne"


def test_no_reminder_without_a_previous_campaign(two_campaigns):
    root, c2007, _ = two_campaigns
    done = Project(root).write_templates(c2007, force=True)
    paths, note = done.paths, done.note
    ws, heads = _cells(paths[0])
    assert note == "" and not any(str(h).startswith("Rappel") for h in heads)
