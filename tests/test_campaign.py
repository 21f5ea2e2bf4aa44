import datetime as dt

import pytest

from pipeline.core.campaign import campaign_toml, load_campaign, new_campaign_file, slug
from pipeline.core.errors import UserError

SNSA_2007 = ["Acta", "Axa Assistance", "Delta Services", "Europ Assistance", "Fidélia", "Garantie Assistance",
             "Inter Mutuelles Assistance", "Mondial Assistance", "Mutuaide Assistance"]


def test_embedded_2007_campaign(campaign):
    assert campaign.identifiant == "2007"
    assert campaign.date_arrete == dt.date(2007, 7, 1)
    assert list(campaign.societes["raison_sociale"]) == SNSA_2007
    assert campaign.societes["identifiant"].is_unique
    assert len(campaign.nomenclature.metiers) == 39


def test_new_campaign_file_is_commented_and_loads(tmp_path):
    path = new_campaign_file("2026", tmp_path, date_arrete=dt.date(2026, 7, 1))
    assert path == tmp_path / "campagnes" / "2026.toml"
    text = path.read_text(encoding="utf-8")
    assert "# Date d'arrêté des effectifs" in text
    c = load_campaign("2026", tmp_path)
    assert (c.identifiant, c.date_arrete, c.date_limite) == ("2026", dt.date(2026, 7, 1), dt.date(2026, 9, 29))
    assert list(c.societes["raison_sociale"]) == SNSA_2007
    with pytest.raises(UserError, match="existe déjà"):
        new_campaign_file("2026", tmp_path)


def test_holding_groups_are_declared_per_company_and_carried_to_the_next_campaign(tmp_path):
    text = campaign_toml("2025", "T", dt.date(2025, 7, 1), dt.date(2025, 9, 1), {"nom": "SNSA"},
                         [("a", "Alpha", "", "", "Groupe  Omega"), ("b", "Beta", "", "", "Groupe Omega"),
                          ("c", "Gamma")])
    (tmp_path / "campagnes").mkdir()
    (tmp_path / "campagnes" / "2025.toml").write_text(text, encoding="utf-8")
    assert "# groupe (facultatif)" in text and 'groupe = "Groupe Omega"' in text
    c = new_campaign_file("2026", tmp_path, depuis="2025")
    assert list(load_campaign(c, tmp_path).societes["groupe"]) == ["Groupe Omega", "Groupe Omega", ""]
    bad = text.replace('groupe = "Groupe Omega"', 'groupe = "c"')
    with pytest.raises(UserError, match="le groupe « c » porte l'identifiant d'une société"):
        load_campaign(_campaign_file(tmp_path, bad), tmp_path)


def _campaign_file(tmp_path, text):
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_invalid_campaign_lists_every_problem(tmp_path):
    text = campaign_toml("x", "Test", dt.date(2026, 7, 1), dt.date(2026, 9, 1), {"nom": "SNSA"},
                         [("a", "Alpha"), ("a", "Beta")])
    text = text.replace("date_limite = 2026-09-01", 'date_limite = "1er septembre"')
    with pytest.raises(UserError) as err:
        load_campaign(_campaign_file(tmp_path, text), tmp_path)
    message = str(err.value)
    assert "« date_limite » doit être une date AAAA-MM-JJ" in message
    assert "identifiant « a » en double" in message


def test_unreadable_toml_and_unknown_campaign(tmp_path):
    with pytest.raises(UserError, match="illisible"):
        load_campaign(_campaign_file(tmp_path, "[campagne\n"), tmp_path)
    with pytest.raises(UserError, match="ligne 2, colonne 5 : valeur illisible"):
        load_campaign(_campaign_file(tmp_path, "a = 1\nb = x\n"), tmp_path)
    with pytest.raises(UserError, match="à la fin du fichier : valeur illisible .* n'a pas été refermé"):
        load_campaign(_campaign_file(tmp_path, "a = 1\nx = [\n"), tmp_path)
    with pytest.raises(UserError, match="Campagne « 2099 » introuvable"):
        load_campaign("2099", tmp_path)


@pytest.mark.parametrize("name, expected", [
    ("Société Générale d'Assistance", "societe-generale-d-assistance"),
    ('A/B\\C:D*E?F"G<H>I|J', "a-b-c-d-e-f-g-h-i-j"),
    ("CON", "con_"),
    ("   ", "x"),
    ("Ünïcödé — 東京", "unicode"),
])
def test_file_names_are_safe_everywhere(name, expected):
    assert slug(name) == expected


def test_template_file_names_never_come_from_raw_names(tmp_path):
    text = campaign_toml("2026/bis", "Test", dt.date(2026, 7, 1), dt.date(2026, 9, 1), {"nom": "SNSA"},
                         [("Crédit & Assurance: <Lyon>", "Crédit & Assurance"), ("aux", "Aux")])
    c = load_campaign(_campaign_file(tmp_path, text), tmp_path)
    assert list(c.societes["fichier"]) == ["effectifs_2026-bis_credit-assurance-lyon.xlsx",
                                           "effectifs_2026-bis_aux_.xlsx"]
    assert c.dossier == "2026-bis"


def test_a_new_campaign_names_its_predecessors_nomenclature_folder_relatively_and_the_project_can_move(tmp_path):
    """A campaign following one with its own nomenclature folder keeps that folder, by a path relative to the
    campaign file: the project's folder moved (another disk, a colleague's machine) still loads (it was written
    absolute: « Nomenclature : fichier introuvable » after the move, found by a walk-through)."""
    import shutil

    from pipeline.core.nomenclature import copy_nomenclature, load_nomenclature

    first = tmp_path / "avant"
    copy_nomenclature(load_nomenclature(), first / "nomenclature 2028")
    text = campaign_toml("2028", "T", dt.date(2028, 7, 1), dt.date(2028, 9, 1), {"nom": "SNSA"}, [("a", "Alpha")],
                         "../nomenclature 2028")
    (first / "campagnes").mkdir()
    (first / "campagnes" / "2028.toml").write_text(text, encoding="utf-8")
    path = new_campaign_file("2029", first, depuis="2028")
    assert 'nomenclature = "../nomenclature 2028"' in path.read_text(encoding="utf-8")
    shutil.move(first, tmp_path / "après")
    moved = load_campaign("2029", tmp_path / "après")
    assert moved.nomenclature.source.endswith("nomenclature 2028") and "après" in moved.nomenclature.source
    # A shared folder outside the project keeps its absolute path: the project moves without it.
    shared = tmp_path / "partage" / "nomenclature SNSA"
    copy_nomenclature(load_nomenclature(), shared)
    project = tmp_path / "projet"
    (project / "campagnes").mkdir(parents=True)
    (project / "campagnes" / "2028.toml").write_text(text.replace("../nomenclature 2028", shared.as_posix()),
                                                    encoding="utf-8")
    path = new_campaign_file("2029", project, depuis="2028")
    assert f'nomenclature = "{shared.resolve().as_posix()}"' in path.read_text(encoding="utf-8")
