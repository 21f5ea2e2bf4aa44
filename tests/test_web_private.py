"""Files holding a company's own figures are created readable by their owner only; the published edition
follows the usual umask (it is meant to be shared)."""

from __future__ import annotations

import os
import stat

from tests.web_site import make_site


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_confidential_files_are_private(tmp_path):
    old = os.umask(0o022)
    try:
        site = make_site(tmp_path / "projet")
        site.project.self_check(site.campaign, "acta", site.good("acta", tmp_path).read_bytes(), "acta.xlsx")
        site.project.self_check(site.campaign, "ima", site.with_error("ima", tmp_path).read_bytes(), "ima.xlsx")
        (site.campaign.inputs_dir(site.root) / "ima.xlsx").write_bytes(site.with_error("ima", tmp_path).read_bytes())
        run = site.project.consolidate(site.campaign)
    finally:
        os.umask(old)
    assert _mode(site.project.db) == 0o600
    assert run.returns and all(_mode(p) == 0o600 for p in run.returns)
    for path in (run.consolidation_path, run.control_report,
                 site.campaign.templates_dir(site.root) / site.campaign.template_name("acta"),
                 site.campaign.inputs_dir(site.root) / site.campaign.template_name("acta")):
        assert _mode(path) == 0o600, path
    assert _mode(run.diffusion_path) == 0o644
