"""A company's upload in a campaign that follows another: the same comparison with last year's figures as
``controler`` (the web asks the history for the previous figures without their branch table; both go through
:func:`pipeline.check.yoy_shares.compared`, the breakdowns' shares included)."""

from __future__ import annotations

import datetime as dt
import shutil

from pipeline.api import Project
from pipeline.core.campaign import embedded_campaign_path
from pipeline.demo import sample_figures, write_sample_returns
from pipeline.portal import _problems
from pipeline.write.template import write_template


def test_an_upload_is_compared_with_last_year_as_controler_does(tmp_path):
    root = tmp_path / "projet"
    (root / "campagnes").mkdir(parents=True)
    shutil.copyfile(embedded_campaign_path("2007"), root / "campagnes" / "2007.toml")
    project = Project(root)
    before = project.campaign("2007")
    write_sample_returns(before, before.inputs_dir(root))
    project.check(before, now=dt.datetime(2007, 12, 1, 10))
    project.new_campaign("2026", date_arrete=dt.date(2026, 7, 1), date_limite=dt.date(2026, 10, 15))
    campaign = project.campaign("2026")
    assert campaign.precedente == "2007"
    figures = sample_figures(before)
    company = max(figures, key=lambda c: figures[c]["TOTAL"])
    values = dict(figures[company])
    big = max((k for k in values if k != "TOTAL"), key=values.get)
    values[big] *= 3  # tripled since last year: the comparison warns
    values["TOTAL"] = sum(v for k, v in values.items() if k != "TOTAL")
    upload = write_template(campaign, company, tmp_path / f"{company}.xlsx", values)

    verdict = project.self_check(campaign, company, upload.read_bytes(), upload.name)
    run = project.check(campaign)  # the same file, now in the inputs folder, as controler sees it
    mine = run.checked.messages[run.checked.messages["societe"] == company]
    assert verdict.accepted and any(p.gravite == "avertissement" for p in verdict.problems)
    assert [(p.gravite, p.cellule, p.message) for p in verdict.problems] == \
        [(p.gravite, p.cellule, p.message) for p in _problems(mine)]
