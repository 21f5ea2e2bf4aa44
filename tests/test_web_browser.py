"""The two journeys in a real browser (Debian's Chromium, driven by Playwright), the site served by uvicorn on
localhost: HR download their template, fill it with openpyxl, upload it with an error, read the problem, upload
the corrected file and see it accepted; the secretary logs in, sees that company accepted (and another
company's upload refused, with its problem) and downloads the consolidation. Each page is captured (PNG) in the folder named by EFFECTIFS_CAPTURES, if any."""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import openpyxl
import pytest

from pipeline.core.form import SHEET_INPUT
from pipeline.demo import sample_figures
from tests.web_site import PASSWORD, free_port, make_site

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (.ci/run installs it)")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    import uvicorn

    site = make_site(tmp_path_factory.mktemp("navigateur") / "projet")
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(site.app(), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    yield site, f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--lang=fr-FR"])
        yield b
        b.close()


def _capture(page, name: str, tmp: Path) -> None:
    folder = Path(os.environ.get("EFFECTIFS_CAPTURES", "") or tmp)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def _fill(path: Path, figures: dict[str, int]) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_INPUT]
    rows = {c.value: c.row for c in ws["A"] if c.value}
    for key, value in figures.items():
        ws[f"E{rows[key]}"] = value
    wb.save(path)


def test_hr_journey(served, browser, tmp_path):
    site, url = served
    page = browser.new_page(locale="fr-FR")
    page.goto(f"{url}/societe/{site.links['acta']}")
    assert page.locator("h1").inner_text() == "Acta : vos effectifs par métier"
    _capture(page, "societe-accueil", tmp_path)
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger votre modèle").click()
    template = tmp_path / download.value.suggested_filename
    download.value.save_as(template)
    figures = sample_figures(site.campaign)["acta"]
    wrong = tmp_path / "rempli.xlsx"
    shutil.copyfile(template, wrong)
    _fill(wrong, {**figures, "0201": -5})
    page.get_by_label("Votre classeur rempli").set_input_files(str(wrong))
    page.get_by_role("button", name="Déposer et contrôler").click()
    verdict = page.locator("#verdict")
    assert verdict.inner_text() == "Résultat du contrôle : rejeté"
    problems = page.locator("table").inner_text()
    assert "Effectifs" in problems and "négati" in problems.lower() or "-5" in problems
    _capture(page, "societe-erreur", tmp_path)
    right = tmp_path / "corrige.xlsx"
    shutil.copyfile(template, right)
    _fill(right, figures)
    page.get_by_label("Votre classeur rempli").set_input_files(str(right))
    page.get_by_role("button", name="Déposer et contrôler").click()
    assert page.locator("#verdict").inner_text() == "Résultat du contrôle : accepté"
    assert "c'est votre soumission" in page.get_by_role("status").first.inner_text()
    _capture(page, "societe-accepte", tmp_path)
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    _capture(page, "societe-telephone", tmp_path)
    page.close()


def test_secretary_journey(served, browser, tmp_path):
    site, url = served
    if not site.project.received(site.campaign, "acta"):  # run alone: Acta's file arrives through the web first
        site.project.self_check(site.campaign, "acta", site.good("acta", tmp_path).read_bytes(), "acta.xlsx")
    site.project.self_check(site.campaign, "fidelia", site.with_error("fidelia", tmp_path).read_bytes(), "f.xlsx")
    page = browser.new_page(locale="fr-FR")
    page.goto(f"{url}/secretariat")
    assert page.url.endswith("/connexion")
    _capture(page, "connexion", tmp_path)
    page.get_by_label("Mot de passe").fill("pas le bon")
    page.get_by_role("button", name="Se connecter").click()
    assert page.get_by_role("alert").inner_text() == "Nom ou mot de passe incorrect."
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    assert page.locator("h1").inner_text().startswith("Tableau de bord de la campagne 2007 — ")
    row = page.get_by_role("row").filter(has_text="Acta")
    assert "accepté" in row.inner_text()
    _capture(page, "tableau-de-bord", tmp_path)
    refused = page.locator("section.refus")  # Fidélia's upload, refused on its page, never reached inputs/
    assert "Fidélia : dépôt en ligne refusé le" in refused.inner_text() and "1 erreur" in refused.inner_text()
    page.get_by_role("button", name="Consolider").click()
    assert page.get_by_role("status").inner_text() == "Consolidation faite."
    with page.expect_download() as download:
        page.get_by_role("link", name="Consolidation (interne, confidentielle)").click()
    saved = tmp_path / "consolidation.xlsx"
    download.value.save_as(saved)
    assert len(openpyxl.load_workbook(saved, read_only=True).sheetnames) > 1
    refused.get_by_role("link", name="Fidélia").click()
    assert page.locator("#depot-refuse").is_visible() and "Effectifs" in page.locator("#depot-refuse table").inner_text()
    _capture(page, "societe-refus", tmp_path)
    page.get_by_role("link", name="Tableau de bord").click()
    page.get_by_role("link", name="Acta").click()
    _capture(page, "societe-secretariat", tmp_path)
    page.get_by_role("button", name="Valider les chiffres").click()
    assert "validé (verrouillé)" in page.get_by_role("status").inner_text()
    for link, name in (("Fichiers reçus", "fichiers-recus"), ("Commentaires", "commentaires"), ("Journal", "journal")):
        page.get_by_role("link", name=link, exact=True).click()
        _capture(page, name, tmp_path)
    page.close()
