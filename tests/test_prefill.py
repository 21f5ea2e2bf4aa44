"""The N−1 reminder column: the previous campaign's accepted figures, locked, beside empty inputs."""

import datetime as dt
import shutil
from email.parser import BytesParser
from email.policy import default

import openpyxl

from tests.helpers import ACCEPTED, ingest
from pipeline.api import Project
from pipeline.core.campaign import campaign_toml, embedded_campaign_path, load_campaign
from pipeline.core.correspondences import following
from pipeline.core.form import KEY_NV, KEY_TOTAL, SHEET_GUIDE, SHEET_INPUT, previous_heading
from pipeline.write.guide import changes, guide_items
from pipeline.write.mail import write_send_out
from pipeline.write.template import write_template
from tests.conftest import row_of, variant_nomenclature


def _cells(path):
    ws = openpyxl.load_workbook(path)[SHEET_INPUT]
    return ws, {c.value: c.column for c in ws[10] if c.value}


def test_reminder_column_holds_last_campaigns_figures(two_campaigns, figures):
    root, _, c2026 = two_campaigns
    done = Project(root).write_templates(c2026, force=True)
    paths, note = done.paths, done.note
    assert "Colonne de rappel N−1 : chiffres retenus de la campagne 2007." == note
    # The e-mail sending each template is ready: the template attached, the reminder column explained.
    mail = BytesParser(policy=default).parse((done.drafts / "acta.eml").open("rb"))
    assert mail["Subject"] == "Actualisation des effectifs par métier au 01/07/2026 — Acta"
    assert mail["To"].addresses[0].addr_spec == c2026.societes.set_index("identifiant").loc["acta", "email"]
    body = mail.get_body(("plain",)).get_content()
    assert "au plus tard le 15/10/2026" in body and "lors de la campagne 2007" in body
    assert "La liste des métiers a changé depuis la campagne 2007 : le « Mode d'emploi » indique ce qui change." \
        in " ".join(body.split())
    assert [a.get_content() for a in mail.iter_attachments()] == [paths[0].read_bytes()]
    assert sorted(p.stem for p in done.drafts.glob("*.eml")) == sorted(c2026.company_ids)
    # a company without figures retained last time gets an empty column, which the guide sheet explains
    guide = " ".join(str(c.value) for row in openpyxl.load_workbook(paths[0])[SHEET_GUIDE].iter_rows() for c in row
                     if c.value)
    assert ("Elle reste vide si aucun fichier de votre société n'a été retenu lors de cette campagne, et là où un "
            "changement de la liste des métiers empêche de comparer ligne à ligne (métier créé, scindé ou redistribué, "
            "sous-total d'une famille ou d'un groupe qu'un changement traverse ou qui gagne ou perd un métier) ; sur "
            "la ligne d'un métier qui en regroupe plusieurs, elle donne leur somme.") in guide
    # What changed in the nomenclature since 2007, before the NV section: 0104 split, 0804 merged into 0803.
    changes = guide[guide.index("Ce qui change depuis la campagne 2007"):guide.index("Les effectifs non ventilés")]
    assert changes == (
        "Ce qui change depuis la campagne 2007 La liste des métiers a changé depuis la campagne 2007 : classez vos "
        "effectifs selon les métiers de ce fichier, en tenant compte de ce qui suit. • Le métier 0104 Spécialiste "
        "d'assistance (f/h) est scindé en 0104 Spécialiste d'assistance (f/h) et 0108 Psychologue d'assistance : "
        "répartissez entre ces lignes les personnes que vous comptiez dans ce métier. • Les métiers 0803 Chargé(e) de "
        "formation et 0804 Formateur(trice) Assistance sont regroupés en 0803 Chargé(e) de formation : comptez "
        "désormais sur cette ligne les personnes de ces métiers. ")
    ws, heads = _cells(paths[0])  # acta
    n1, effectif = heads[previous_heading(c2026)], heads["Effectif au 01/07/2026"]
    assert n1 == effectif + 1 and heads["Commentaire"] == n1 + 1
    f = figures["acta"]
    assert ws.cell(row_of(ws, "0102"), n1).value == f.get("0102", 0)
    assert ws.cell(row_of(ws, "0101-2"), n1).value == f.get("0101-2", 0)
    assert ws.cell(row_of(ws, KEY_NV), n1).value == f[KEY_NV]
    assert ws.cell(row_of(ws, KEY_TOTAL), n1).value == f[KEY_TOTAL]
    for key in ("0104", "0108"):  # split: no figure compares
        assert ws.cell(row_of(ws, key), n1).value is None, key
    for company in c2026.company_ids:  # merged: the sum of what it merges, in every company's template
        merged = _cells(c2026.templates_dir(root) / c2026.template_name(company))[0].cell(row_of(ws, "0803"), n1).value
        assert merged == figures[company].get("0803", 0) + figures[company].get("0804", 0), company
    assert any(figures[c].get("0804", 0) for c in c2026.company_ids)  # the sum is no 0803 alone
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


def test_the_guide_says_every_kind_of_change_and_nothing_when_the_nomenclature_is_kept(tmp_path):
    """Recoded, retitled, created, removed and redistributed métiers, each in one sentence of the guide, in the order
    of their codes (a code's old métier before the new one reusing it); a campaign keeping its previous campaign's nomenclature folder has no such section."""
    (tmp_path / "campagnes").mkdir()
    shutil.copyfile(embedded_campaign_path("2007"), tmp_path / "campagnes" / "2007.toml")
    c2007 = load_campaign("2007", tmp_path)
    variant_nomenclature(tmp_path / "campagnes" / "nom2026", remove=["0901", "0905", "0902", "0903", "0906"],
                         add=["0907;09;Assistant(e) de direction;;;;", "0110;01;Régulateur(trice);;;;",
                              "0908;09;Chargé(e) d'études et de comptabilité;;;;",
                              "0909;09;Chargé(e) de statistiques;;;;", "0911;09;Juriste (f/h);;;;",
                              "0905;09;Office manager;;;;"],
                         retitle={"0203": "Infirmier(e) d'assistance", "0204": "Médecin de  transport médical (f/h)"},
                         correspondences=[("0901", "0907", ""), ("0905", "", ""), ("", "0110", ""),
                                          ("0902", "0908", ""), ("0903", "0908", ""), ("0902", "0909", ""),
                                          ("0906", "0911", ""), ("", "0905", "")])
    text = campaign_toml("2026", "Campagne 2026", dt.date(2026, 7, 1), dt.date(2026, 10, 15), c2007.contact,
                         [("acta", "Acta", "", "")], "nom2026", precedente="2007")
    (tmp_path / "campagnes" / "2026.toml").write_text(text, encoding="utf-8")
    items = guide_items(following(load_campaign("2026", tmp_path), tmp_path), "Acta", None)
    start = items.index(("section", "Ce qui change depuis la campagne 2007"))
    assert [t for _, t in items[start + 2:items.index(("section", "Les effectifs non ventilés (ligne NV)"))]] == [
        "Nouveau métier : 0110 Régulateur(trice).",
        "Le métier 0203 s'intitule désormais « Infirmier(e) d'assistance » (auparavant « Infirmier(e) de transport "
        "médical »).",  # 0204's title only gained a space: not a change
        "Le métier 0901 Secrétaire / assistant(e) devient 0907 Assistant(e) de direction.",
        "Les métiers 0902 Chargé(e) d'études et 0903 Chargé(e) de comptabilité sont redistribués entre 0908 Chargé(e) "
        "d'études et de comptabilité et 0909 Chargé(e) de statistiques : répartissez entre ces nouvelles lignes les "
        "personnes que vous comptiez dans les anciens métiers.",
        "Le métier 0905 Chargé(e) de la qualité n'existe plus : comptez les personnes qui l'exerçaient dans le métier "
        "qui correspond à leur emploi, ou sur la ligne NV.",  # what 0905 was, before what it now is
        "Nouveau métier : 0905 Office manager.",
        "Le métier 0906 Juriste (f/h) prend le code 0911.",
    ]
    # 2027 keeps 2026's folder: nothing changed between them, whatever its table says.
    text = campaign_toml("2027", "Campagne 2027", dt.date(2027, 7, 1), dt.date(2027, 10, 15), c2007.contact,
                         [("acta", "Acta", "", "")], "nom2026", precedente="2026")
    (tmp_path / "campagnes" / "2027.toml").write_text(text, encoding="utf-8")
    kept = following(load_campaign("2027", tmp_path), tmp_path)
    assert kept.nomenclature_precedente is None
    assert not any(t.startswith("Ce qui change") for _, t in guide_items(kept, "Acta", None))
    assert not any(t.startswith("Ce qui change") for _, t in guide_items(c2007, "Acta", None))  # it follows none
    # 2028 has a folder of its own, a copy of 2027's changing nothing (`nomenclature --copier`): no section, and its
    # send-out e-mail does not announce changes either.
    shutil.copytree(tmp_path / "campagnes" / "nom2026", tmp_path / "campagnes" / "nom2028")
    (tmp_path / "campagnes" / "nom2028" / "correspondances.csv").write_text("code_precedent;code;commentaire\n",
                                                                           encoding="utf-8")
    text = campaign_toml("2028", "Campagne 2028", dt.date(2028, 7, 1), dt.date(2028, 10, 15), c2007.contact,
                         [("acta", "Acta", "", "drh@acta.fr")], "nom2028", precedente="2027")
    (tmp_path / "campagnes" / "2028.toml").write_text(text, encoding="utf-8")
    copied = following(load_campaign("2028", tmp_path), tmp_path)
    assert copied.nomenclature_precedente is not None and changes(copied) == []
    assert not any(t.startswith("Ce qui change") for _, t in guide_items(copied, "Acta", None))
    (tmp_path / "modele.xlsx").write_bytes(b"PK")
    mail = write_send_out(copied, {"acta": tmp_path / "modele.xlsx"}, tmp_path / "envoi", None)[0]
    assert "a changé" not in mail.with_suffix(".txt").read_text(encoding="utf-8")
    changed = following(load_campaign("2026", tmp_path), tmp_path)
    mail = write_send_out(changed, {"acta": tmp_path / "modele.xlsx"}, tmp_path / "envoi26", None)[0]
    assert "La liste des métiers a changé depuis la campagne 2007" in mail.with_suffix(".txt").read_text(
        encoding="utf-8")


def test_the_guide_names_the_rules_metiers_by_their_codes_in_the_nomenclature(tmp_path):
    """The cartography's counting rules name métiers (the managers of chargé(e)s de réservation, the encadrant(e)s
    d'assistance): a nomenclature that recodes one gets the new code, one without it gets no example."""
    (tmp_path / "campagnes").mkdir()
    variant_nomenclature(tmp_path / "campagnes" / "nom", remove=["0103", "0106"],
                         add=["0112;01;Encadrant(e)  d'assistance;;;;"],
                         correspondences=[("0103", "0112", ""), ("0106", "", "")])
    text = campaign_toml("2026", "Campagne 2026", dt.date(2026, 7, 1), dt.date(2026, 10, 15),
                         {"nom": "Secrétariat", "email": "s@snsa.fr"}, [("acta", "Acta", "", "")], "nom")
    (tmp_path / "campagnes" / "2026.toml").write_text(text, encoding="utf-8")
    texts = [t for _, t in guide_items(load_campaign("2026", tmp_path), "Acta", None)]
    assert "Les responsables hiérarchiques directs des titulaires d'un métier sont comptés dans ce métier." in texts
    assert "Exception : les encadrant(e)s d'assistance ont leur propre métier, 0112 Encadrant(e)  d'assistance ; ne " \
           "les comptez pas avec les chargé(e)s d'assistance (0102)." in texts
    assert not any("0106" in t or "0103" in t for t in texts)


def test_a_metier_moving_to_another_family_says_which(tmp_path):
    """0303 becomes 0404: the guide names its new family (a walk-through's HR would look for it in family 03)."""
    (tmp_path / "campagnes").mkdir()
    shutil.copyfile(embedded_campaign_path("2007"), tmp_path / "campagnes" / "2007.toml")
    c2007 = load_campaign("2007", tmp_path)
    variant_nomenclature(tmp_path / "campagnes" / "nom", remove=["0303"], add=["0404;04;Gestionnaire d'assistance;;;;"],
                         correspondences=[("0303", "0404", "")])
    text = campaign_toml("2026", "Campagne 2026", dt.date(2026, 7, 1), dt.date(2026, 10, 15), c2007.contact,
                         [("acta", "Acta", "", "")], "nom", precedente="2007")
    (tmp_path / "campagnes" / "2026.toml").write_text(text, encoding="utf-8")
    texts = [t for _, t in guide_items(following(load_campaign("2026", tmp_path), tmp_path), "Acta", None)]
    assert "Le métier 0303 Chargé(e) de méthodes et procédures devient 0404 Gestionnaire d'assistance, dans la " \
           "famille 04 - Gestion d'assistance." in texts
