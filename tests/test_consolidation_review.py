"""The consolidation says which figures the secretary validated (web front) and which are provisional."""

from __future__ import annotations

import datetime as dt

import openpyxl

from pipeline.core.vocab import ReviewState
from tests.web_site import USER, make_site


def test_sources_and_key_figures_say_validated_or_provisional(tmp_path):
    site = make_site(tmp_path / "projet")
    project, campaign = site.project, site.campaign
    for company in ("acta", "ima"):
        path = site.good(company, tmp_path)
        verdict = project.self_check(campaign, company, path.read_bytes(), path.name)
        assert verdict is not None
    assert project.review(campaign, "acta", ReviewState.VALIDATED, USER)  # the call the web page makes
    run = project.consolidate(campaign)
    wb = openpyxl.load_workbook(run.consolidation_path)
    sources = wb["Sources"]
    assert [c.value for c in sources[3]] == ["Identifiant", "Raison sociale", "Fichier", "Soumission n°", "Reçu le",
                                             "Revue"]
    review = {sources.cell(r, 1).value: sources.cell(r, 6).value for r in range(4, 6)}
    today = dt.date.today().strftime("%d/%m/%Y")
    assert review == {"acta": f"validée le {today} par {USER}", "ima": "provisoire"}
    key = [c.value for row in wb["Chiffres clés"].iter_rows(max_col=1) for c in row if isinstance(c.value, str)]
    assert "1 société validée, 1 provisoire" in key
