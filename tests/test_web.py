"""The web front through Starlette's test client: every page, and every refusal (wrong, expired or revoked link,
another company's file, a missing CSRF token, an oversized upload, no session)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
import stat

import pytest

from pipeline.core.vocab import ReviewState
from pipeline.demo import sample_figures
from pipeline.store import history
from pipeline.store import web as store_web
from tests.web_site import USER, copy_site, csrf, login, make_site, text


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    return make_site(tmp_path_factory.mktemp("web") / "projet")


@pytest.fixture
def site(base, tmp_path):
    return copy_site(base, tmp_path / "projet")


@pytest.fixture
def secretary(site):
    client = site.client()
    assert login(client).status_code == 303
    return client


def _upload(client, token: str, path, name: str | None = None):
    page = client.get(f"/societe/{token}")
    return client.post(f"/societe/{token}/depot", data={"csrf": csrf(page.text)},
                       files={"fichier": (name or path.name, path.read_bytes())})


def _events(site) -> list[tuple]:
    conn = sqlite3.connect(site.project.db)
    try:
        return conn.execute("SELECT who, kind, company_id, detail FROM web_events ORDER BY id").fetchall()
    finally:
        conn.close()


# --- the secretary's login --------------------------------------------------------------------------

def test_pages_need_the_login(site):
    client = site.client()
    for path in ("/secretariat", "/secretariat/fichiers", "/secretariat/commentaires", "/secretariat/journal",
                 "/secretariat/telecharger/consolidation", "/secretariat/societe/acta"):
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/connexion", path
    assert client.get("/", follow_redirects=False).headers["location"] == "/secretariat"


def test_login_page_is_french_and_labelled(site):
    r = site.client().get("/connexion")
    assert r.status_code == 200 and '<html lang="fr">' in r.text
    assert '<label for="nom">' in r.text and '<label for="mot_de_passe">' in r.text
    assert "Connexion du secrétariat" in text(r.text)


def test_a_wrong_password_is_refused_and_logged(site):
    client = site.client()
    r = login(client, "pas le bon")
    assert r.status_code == 401 and "Nom ou mot de passe incorrect." in text(r.text)
    assert client.get("/secretariat", follow_redirects=False).status_code == 303
    assert (USER, "connexion refusée", None, "testclient") in _events(site)


def test_the_password_is_stored_hashed(site):
    conn = sqlite3.connect(site.project.db)
    stored = conn.execute("SELECT password_hash FROM web_users").fetchone()[0]
    conn.close()
    assert stored.startswith("scrypt$") and "mot de passe" not in stored


def test_login_then_logout(site, secretary):
    assert secretary.get("/secretariat").status_code == 200
    assert (USER, "connexion", None, "testclient") in _events(site)
    page = secretary.get("/secretariat")
    r = secretary.post("/deconnexion", data={"csrf": csrf(page.text)}, follow_redirects=False)
    assert r.status_code == 303
    assert secretary.get("/secretariat", follow_redirects=False).status_code == 303


def test_a_form_without_its_csrf_token_is_refused(site, secretary):
    for path in ("/secretariat/action/controler", "/deconnexion", "/secretariat/societe/acta"):
        r = secretary.post(path, data={"etat": "validé"})
        assert r.status_code == 403 and "Le formulaire a expiré" in text(r.text), path
    r = secretary.post("/secretariat/action/controler", data={"csrf": "x" * 43})
    assert r.status_code == 403
    fresh = site.client()
    r = fresh.post("/connexion", data={"nom": USER, "mot_de_passe": "un mot de passe assez long"})
    assert r.status_code == 403


# --- the dashboard, files received, downloads -------------------------------------------------------

def test_dashboard_shows_every_company(site, secretary):
    r = secretary.get("/secretariat")
    assert r.status_code == 200
    page = text(r.text)
    for name in site.campaign.names.values():
        assert name in page
    assert "manquant" in page and "Consolidation (interne, confidentielle) : pas encore produit" in page


def test_an_information_on_the_dashboard_is_not_a_problem(site, secretary, tmp_path):
    """A file accepted without warning, with only an information (its name evokes another company): counted among
    the « acceptées sans avertissement », and its messages said by severity, not as « 1 problème »."""
    good = site.good("mondial-assistance", tmp_path)
    (site.campaign.inputs_dir(site.root) / "effectifs_garantie_assistance.xlsx").write_bytes(good.read_bytes())
    site.project.check(site.campaign)
    page = text(secretary.get("/secretariat").text)
    assert "1 acceptée sans avertissement" in page and "Messages du dernier fichier" in page
    assert "Mondial Assistance accepté provisoire effectifs_garantie_assistance.xlsx" in page
    assert "1 information le nom de ce fichier évoque Garantie Assistance" in page and "problème" not in page


def test_secretary_uploads_several_files_received_by_email(site, secretary, tmp_path):
    good = site.good("acta", tmp_path)
    bad = site.with_error("ima", tmp_path)
    page = secretary.get("/secretariat/fichiers")
    assert '<label for="fichiers">' in page.text
    r = secretary.post("/secretariat/fichiers", data={"csrf": csrf(page.text)},
                       files=[("fichiers", ("../../Retour Acta (été).xlsx", good.read_bytes())),
                              ("fichiers", ("..\\..\\ima.xlsx", bad.read_bytes()))])
    assert r.status_code == 200
    names = sorted(p.name for p in site.campaign.inputs_dir(site.root).iterdir())
    assert names == ["ima.xlsx", "retour-acta-ete.xlsx"]  # names made safe, inside the inputs folder
    page = text(r.text)
    assert "2 fichiers enregistrés" in page and "rejeté" in page and "accepté" in page
    assert "E" in page and "0201" in page or "négati" in page
    dash = text(secretary.get("/secretariat").text)
    assert "accepté" in dash and "rejeté" in dash


def test_what_is_left_to_the_secretary_is_said_on_the_web_too(site, secretary, tmp_path):
    """Two files for one company, a file of no company: the page of files received lists these points, and the
    dashboard after an action says how many remain and where they are detailed."""
    (tmp_path / "b").mkdir()
    figures = sample_figures(site.campaign)["acta"]
    row = next(k for k, v in figures.items() if k not in ("NV", "TOTAL") and v)
    files = [site.good("acta", tmp_path), site.good("acta", tmp_path / "b", {**figures, row: figures[row] + 1,
                                                                               "TOTAL": figures["TOTAL"] + 1})]
    page = secretary.get("/secretariat/fichiers")
    r = secretary.post("/secretariat/fichiers", data={"csrf": csrf(page.text)},
                       files=[("fichiers", ("acta.xlsx", files[0].read_bytes())),
                              ("fichiers", ("acta bis.xlsx", files[1].read_bytes())),
                              ("fichiers", ("notes.txt", b"a"))])
    seen = text(r.text)
    assert "À régler par le secrétariat" in seen and "acta-bis.xlsx" in seen and "notes.txt" in seen
    dash = secretary.post("/secretariat/action/controler", data={"csrf": csrf(secretary.get("/secretariat").text)})
    assert "2 points restent à régler par le secrétariat" in text(dash.text)
    assert "feuille « À régler »" in text(dash.text)


def test_a_same_name_never_replaces_a_file(site, secretary, tmp_path):
    good = site.good("acta", tmp_path)
    for _ in range(2):
        page = secretary.get("/secretariat/fichiers")
        secretary.post("/secretariat/fichiers", data={"csrf": csrf(page.text)},
                       files=[("fichiers", ("acta.xlsx", good.read_bytes()))])
    assert sorted(p.name for p in site.campaign.inputs_dir(site.root).iterdir()) == ["acta-2.xlsx", "acta.xlsx"]


def test_consolidate_then_download(site, secretary, tmp_path):
    token = site.links["acta"]
    assert _upload(site.client(), token, site.good("acta", tmp_path)).status_code == 200
    page = secretary.get("/secretariat")
    r = secretary.post("/secretariat/action/consolider", data={"csrf": csrf(page.text)})
    assert r.status_code == 200 and "Consolidation faite." in text(r.text)
    made = dt.datetime.fromtimestamp((site.campaign.outputs_dir(site.root) / "consolidation.xlsx").stat().st_mtime)
    assert f"Consolidation (interne, confidentielle) (produit le {made:%d/%m/%Y}" in text(r.text)
    for what in ("consolidation", "diffusion", "controle"):
        d = secretary.get(f"/secretariat/telecharger/{what}")
        assert d.status_code == 200 and d.content[:2] == b"PK", what
    r = secretary.post("/secretariat/action/suivi", data={"csrf": csrf(page.text)})
    assert "Tableau de suivi et relances à jour." in text(r.text)
    assert secretary.get("/secretariat/telecharger/suivi").status_code == 200
    assert "text/plain" in secretary.get("/secretariat/telecharger/relances").headers["content-type"]


def test_downloads_are_a_fixed_list(site, secretary):
    for what in ("..%2F..%2Fhistorique.sqlite", "historique", "consolidation.xlsx"):
        assert secretary.get(f"/secretariat/telecharger/{what}").status_code == 404
    assert secretary.get("/secretariat/telecharger/consolidation").status_code == 404  # not made yet
    assert "pas encore été produit" in text(secretary.get("/secretariat/telecharger/diffusion").text)


def test_comments_and_journal_pages(site, secretary, tmp_path):
    _upload(site.client(), site.links["acta"], site.good("acta", tmp_path))
    assert "Commentaires des sociétés" in text(secretary.get("/secretariat/commentaires").text)
    journal = text(secretary.get("/secretariat/journal").text)
    assert "dépôt" in journal and "connexion" in journal and "la société, sur sa page privée" in journal
    assert "societe:acta" not in journal
    _upload(site.client(), site.links["acta"], site.good("ima", tmp_path))  # another company's template
    assert "rejeté : le modèle d'une autre société (Inter Mutuelles Assistance)" in text(
        secretary.get("/secretariat/journal").text)


def _minutes(before: dt.datetime) -> set[str]:
    """The moment of an upload as the dashboard writes it, the minute it started or the next one."""
    return {f"{m:%d/%m/%Y} à {m:%H:%M}" for m in (before, dt.datetime.now())}


def test_a_refused_upload_shows_on_the_dashboard_until_a_good_one(site, secretary, tmp_path):
    token, before = site.links["acta"], dt.datetime.now()
    seen = text(_upload(site.client(), token, site.with_error("acta", tmp_path)).text)
    assert "Fichier refusé" in seen and "Effectifs E" in seen
    r = secretary.get("/secretariat")
    dash = text(r.text)
    assert any(f"Acta : dépôt en ligne refusé le {m} : 1 erreur" in dash for m in _minutes(before))
    problem = site.project.standing(site.campaign).refusals["acta"].problems[0]
    assert problem.gravite == "erreur" and problem.cellule.startswith("E")
    assert f"Effectifs {problem.cellule} : {problem.message}" in dash and problem.message in seen  # what the company read
    assert "1 avec un dépôt en ligne refusé" in dash  # the summary counts it
    assert "9 attendues 0 reçue 0 acceptée sans avertissement " in dash  # each count in the number of its own figure
    assert 'href="/secretariat/societe/acta#depot-refuse"' in r.text
    details = secretary.get("/secretariat/societe/acta")
    assert 'id="depot-refuse"' in details.text
    assert "Dernier dépôt en ligne : refusé" in text(details.text) and problem.message in text(details.text)
    assert _upload(site.client(), token, site.good("acta", tmp_path)).status_code == 200
    dash = text(secretary.get("/secretariat").text)
    assert "dépôt en ligne refusé le" not in dash and "0 avec un dépôt en ligne refusé" in dash
    assert "Dernier dépôt en ligne" not in text(secretary.get("/secretariat/societe/acta").text)


def test_a_refusal_after_a_submission_shows_until_a_file_received_otherwise(site, secretary, tmp_path):
    token = site.links["ima"]
    assert _upload(site.client(), token, site.good("ima", tmp_path)).status_code == 200
    assert "dépôt en ligne refusé le" not in text(secretary.get("/secretariat").text)
    _upload(site.client(), token, site.good("acta", tmp_path))  # another company's template
    dash = text(secretary.get("/secretariat").text)
    assert "Inter Mutuelles Assistance : dépôt en ligne refusé le" in dash and "le modèle d'une autre société (Acta)" in dash
    _upload(site.client(), token, site.good("ima", tmp_path))  # the same file again: nothing new recorded
    assert "dépôt en ligne refusé le" not in text(secretary.get("/secretariat").text)
    _upload(site.client(), token, site.with_error("ima", tmp_path))
    assert "Inter Mutuelles Assistance : dépôt en ligne refusé le" in text(secretary.get("/secretariat").text)
    (tmp_path / "courriel").mkdir()
    figures = sample_figures(site.campaign)["ima"]
    mailed = site.good("ima", tmp_path / "courriel", {**figures, "0102": figures["0102"] - 1, "0103": figures["0103"] + 1})
    kept = site.campaign.inputs_dir(site.root) / site.campaign.template_name("ima")
    kept.write_bytes(mailed.read_bytes())  # the secretary puts the file received by e-mail in its place
    assert site.project.check(site.campaign).companies_accepted == ["ima"]
    assert "dépôt en ligne refusé le" not in text(secretary.get("/secretariat").text)


# --- review states ----------------------------------------------------------------------------------

def _review(secretary, company: str, state: str, comment: str = ""):
    page = secretary.get(f"/secretariat/societe/{company}")
    return secretary.post(f"/secretariat/societe/{company}",
                          data={"csrf": csrf(page.text), "etat": state, "commentaire": comment})


def test_validate_locks_then_reopen_submits_what_waited(site, secretary, tmp_path):
    company, token = "acta", site.links["acta"]
    assert "pas de soumission acceptée" in text(_review(secretary, company, "validé").text)
    assert _upload(site.client(), token, site.good(company, tmp_path)).status_code == 200
    r = _review(secretary, company, "validé")
    assert "Acta : validé (verrouillé)." in text(r.text)
    dash = text(secretary.get("/secretariat").text)
    assert "validé (verrouillé) — chiffres définitifs" in dash
    assert "La consolidation reprend les chiffres de 1 société : 1 validée par le secrétariat, 0 provisoire." in dash
    figures = sample_figures(site.campaign)[company]
    (tmp_path / "v2").mkdir()
    changed = site.good(company, tmp_path / "v2", {**figures, "0102": figures["0102"] - 1, "0103": figures["0103"] + 1})
    r = _upload(site.client(), token, changed)
    assert "attend que le secrétariat rouvre votre dossier" in text(r.text)
    assert "Le secrétariat a validé vos chiffres" in text(site.client().get(f"/societe/{token}").text)
    conn = history.connect(site.project.db)
    assert len(history.submissions(conn, site.campaign.identifiant)) == 1
    r = _review(secretary, company, "rouvert")
    assert len(history.submissions(conn, site.campaign.identifiant)) == 2
    conn.close()
    states = [(r.state, r.who) for r in site.project.review_history(site.campaign, company)]
    assert states == [(ReviewState.VALIDATED, USER), (ReviewState.REOPENED, USER)]


def test_send_back_needs_a_comment_the_company_then_reads_until_it_sends_another(site, secretary, tmp_path):
    said = "« Le total ne correspond pas à la DSN. »"
    r = _review(secretary, "ima", "renvoyé", "Le total ne correspond pas à la DSN.")
    assert "Inter Mutuelles Assistance n'a pas de soumission acceptée : rien à lui renvoyer" in text(r.text)
    assert said not in text(site.client().get(f"/societe/{site.links['ima']}").text)
    figures = sample_figures(site.campaign)["ima"]
    (tmp_path / "v1").mkdir()
    assert _upload(site.client(), site.links["ima"], site.good("ima", tmp_path / "v1")).status_code == 200
    assert "Écrivez ce que la société doit corriger." in text(_review(secretary, "ima", "renvoyé").text)
    r = _review(secretary, "ima", "renvoyé", "Le total ne correspond pas à la DSN.")
    assert "renvoyé à la société" in text(r.text)
    page = text(site.client().get(f"/societe/{site.links['ima']}").text)
    assert said in page
    (tmp_path / "v2").mkdir()
    row = next(k for k, v in figures.items() if k not in ("NV", "TOTAL") and v)
    corrected = site.good("ima", tmp_path / "v2", {**figures, row: figures[row] - 1, "TOTAL": figures["TOTAL"] - 1})
    assert _upload(site.client(), site.links["ima"], corrected).status_code == 200
    assert said not in text(site.client().get(f"/societe/{site.links['ima']}").text)  # corrected since
    assert "renvoyé à la société" not in text(secretary.get("/secretariat").text)
    assert _review(secretary, "ima", "n'importe quoi").status_code == 400
    assert secretary.get("/secretariat/societe/inconnue").status_code == 404


# --- each company's private page --------------------------------------------------------------------

def test_company_page_and_template(site):
    client = site.client()
    token = site.links["acta"]
    page = client.get(f"/societe/{token}")
    assert page.status_code == 200 and "Acta : vos effectifs par métier" in text(page.text)
    assert '<label for="fichier">' in page.text
    assert page.headers["referrer-policy"] == "no-referrer" and page.headers["x-content-type-options"] == "nosniff"
    t = client.get(f"/societe/{token}/modele")
    assert t.status_code == 200 and t.content[:2] == b"PK" and "effectifs_2007_acta.xlsx" in t.headers[
        "content-disposition"]


def test_an_error_then_the_correction(site, tmp_path):
    client, token = site.client(), site.links["acta"]
    r = _upload(client, token, site.with_error("acta", tmp_path))
    assert r.status_code == 422
    page = text(r.text)
    assert "Fichier refusé" in page and "rejeté" in page and "Effectifs" in page
    assert not site.campaign.inputs_dir(site.root).exists() or not any(site.campaign.inputs_dir(site.root).iterdir())
    r = _upload(client, token, site.good("acta", tmp_path))
    assert r.status_code == 200 and "c'est votre soumission" in text(r.text)
    inputs = site.campaign.inputs_dir(site.root)
    assert [p.name for p in inputs.iterdir()] == ["effectifs_2007_acta.xlsx"]
    assert stat.S_IMODE(os.stat(inputs / "effectifs_2007_acta.xlsx").st_mode) == 0o600
    r = _upload(client, token, site.good("acta", tmp_path))
    assert "identique à votre dernière soumission : rien n'a changé" in text(r.text)
    kinds = [e[1] for e in _events(site) if e[0] == "societe:acta"]
    assert kinds == ["dépôt", "dépôt", "dépôt"]


def test_a_file_sent_again_after_another_counts_again_and_no_file_is_lost(site, tmp_path):
    """A, then B, then A again: A is the company's submission again, and says so; every earlier file of the company,
    each saved under the same name in the inputs folder, is kept aside, none overwritten."""
    client, token = site.client(), site.links["acta"]
    figures = sample_figures(site.campaign)["acta"]
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = site.good("acta", tmp_path / "a")
    row = next(k for k, v in figures.items() if k not in ("NV", "TOTAL") and v)
    second = site.good("acta", tmp_path / "b", {**figures, row: figures[row] + 1, "TOTAL": figures["TOTAL"] + 1})
    inputs = site.campaign.inputs_dir(site.root)
    for path, said in ((first, "c'est votre soumission"), (second, "c'est votre soumission"),
                       (first, "qui redevient celle qui compte")):
        r = _upload(client, token, path)
        assert r.status_code == 200 and said in text(r.text)
        assert (inputs / "effectifs_2007_acta.xlsx").read_bytes() == path.read_bytes()
    aside = sorted((site.campaign.outputs_dir(site.root) / "web" / "remplaces").iterdir())
    assert sorted(p.read_bytes() for p in aside) == sorted([first.read_bytes(), second.read_bytes()])
    (tmp_path / "c").mkdir()
    assert _upload(client, token, site.with_error("acta", tmp_path / "c")).status_code == 422  # recorded, not kept
    with sqlite3.connect(site.project.db) as conn:
        latest = history.latest_accepted(conn, site.campaign.identifiant)
        # the one query a company's page asks at each upload agrees with the campaign's submissions read as a frame
        kept = store_web.kept_submissions(conn, site.campaign.identifiant)
        assert kept == store_web.kept_submissions(conn, site.campaign.identifiant, "acta") == dict(
            zip(latest["societe"], latest["id"].astype(int)))
    assert list(latest["sha256"]) == [hashlib.sha256(first.read_bytes()).hexdigest()]


def test_a_file_that_is_no_workbook_is_refused_without_saying_how_it_was_attributed(site, tmp_path):
    """The page says whose file it is: « attribué d'après son nom » (the checks' word for a file in a folder) is not
    said to the company that sent it, nor kept for the dashboard."""
    pdf = tmp_path / "effectifs.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    r = _upload(site.client(), site.links["acta"], pdf)
    assert r.status_code == 422 and "Fichier refusé" in text(r.text)
    assert "« .pdf » non reconnu" in text(r.text) and "d'après son nom" not in text(r.text)
    assert "Problèmes trouvés dans votre fichier Gravité" in text(r.text)  # no cell: not « cellule par cellule »
    with sqlite3.connect(site.project.db) as conn:
        kept = " ".join(str(m) for (m,) in conn.execute("SELECT messages FROM web_uploads"))
    assert "societe.par_nom" not in kept and kept


def test_an_upload_s_address_opened_again_leads_back_to_the_company_page(site):
    client, token = site.client(), site.links["acta"]
    r = client.get(f"/societe/{token}/depot", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith(f"/societe/{token}")
    page = client.get(f"/societe/{token}")
    r = client.post(f"/societe/{token}/depot", data={"csrf": csrf(page.text)})  # the form sent without its file
    assert r.status_code == 400 and f'href="/societe/{token}"' in r.text
    assert "Revenir à la page de votre société" in text(r.text)


def test_the_secretary_and_the_cli_see_the_same_verdict(site, tmp_path):
    _upload(site.client(), site.links["acta"], site.good("acta", tmp_path))
    run = site.project.check(site.campaign)
    assert run.recorded.new == [] and run.companies_accepted == ["acta"]


def test_a_company_cannot_submit_another_companys_file(site, tmp_path):
    r = _upload(site.client(), site.links["acta"], site.good("ima", tmp_path))
    assert r.status_code == 422 and "le modèle d'une autre société" in text(r.text)
    assert not site.campaign.inputs_dir(site.root).exists() or not any(site.campaign.inputs_dir(site.root).iterdir())


def test_a_company_sees_only_its_own_files(site, tmp_path):
    _upload(site.client(), site.links["ima"], site.good("ima", tmp_path))
    page = text(site.client().get(f"/societe/{site.links['acta']}").text)
    assert "Aucun fichier reçu de votre société" in page and "effectifs_2007_ima" not in page
    assert "Ima" not in page.replace("Imagin", "")  # not another company's name


@pytest.mark.parametrize("token", ["x" * 43, "", "a", "..%2F..%2Fsecretariat", "x" * 500])
def test_a_wrong_link_is_refused(site, token):
    r = site.client().get(f"/societe/{token}")
    assert r.status_code == 404
    if token:
        assert "Ce lien n'est pas valable" in text(r.text) or "Page introuvable" in text(r.text)


def test_a_revoked_link_is_refused(site):
    token = site.links["acta"]
    site.project.revoke_links(site.campaign, "acta")
    r = site.client().get(f"/societe/{token}")
    assert r.status_code == 403 and "remplacé ou révoqué" in text(r.text)
    assert site.client().get(f"/societe/{token}/modele").status_code == 403


def test_an_expired_link_is_refused(site):
    token = site.project.make_links(site.campaign, dt.datetime.now() - dt.timedelta(minutes=1), ["acta"])["acta"]
    r = site.client().get(f"/societe/{token}")
    assert r.status_code == 403 and "Ce lien a expiré" in text(r.text)


def test_links_are_stored_hashed(site):
    conn = sqlite3.connect(site.project.db)
    stored = [r[0] for r in conn.execute("SELECT token_hash FROM company_links")]
    conn.close()
    assert not set(stored) & set(site.links.values())


def test_an_oversized_upload_is_refused(site, tmp_path):
    client = site.client(max_upload=20_000)
    token = site.links["acta"]
    page = client.get(f"/societe/{token}")
    r = client.post(f"/societe/{token}/depot", data={"csrf": csrf(page.text)},
                    files={"fichier": ("gros.xlsx", b"PK" + b"\0" * 30_000)})
    assert r.status_code == 413 and "Fichier trop volumineux" in r.text
    r = client.post(f"/societe/{token}/depot", data={"csrf": csrf(page.text)},
                    files={"fichier": ("gros.xlsx", b"\0" * 25_000_000)})
    assert r.status_code == 413


def test_no_stack_trace_reaches_a_user(site, monkeypatch, tmp_path):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(type(site.project), "self_check", broken)
    client = site.app()
    from tests.web_site import TestClient
    raw = TestClient(client, raise_server_exceptions=False)
    raw.cookies.set("effectifs_csrf", "y" * 43)
    r = raw.post(f"/societe/{site.links['acta']}/depot", data={"csrf": "y" * 43}, files={"fichier": ("a.xlsx", b"PK")})
    assert r.status_code == 500 and "secret internal detail" not in r.text and "Traceback" not in r.text
    assert "Une erreur inattendue" in text(r.text)


def test_behind_a_proxy_links_carry_the_root_path(site):
    client = site.client(root_path="/effectifs")
    r = client.get("/effectifs/connexion")
    assert r.status_code == 200 and 'action="/effectifs/connexion"' in r.text and 'href="/effectifs/style.css"' in r.text
    assert client.get("/effectifs/secretariat", follow_redirects=False).headers["location"] == "/effectifs/connexion"


def test_ten_wrong_passwords_pause_the_account(site):
    client = site.client()
    for _ in range(10):
        assert login(client, "devinette").status_code == 401
    assert login(client).status_code == 401  # even the right one, for a quarter of an hour
    assert site.project.login("autre", "x") is None


def test_no_directory_listing_nor_source_served(site, secretary):
    for path in ("/templates/", "/static/", "/pipeline/web/templates/base.html", "/outputs/"):
        r = secretary.get(path)
        assert r.status_code == 404 and "Page introuvable." in text(r.text), path
    assert secretary.get("/style.css").headers["content-type"].startswith("text/css")
