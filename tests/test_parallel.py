"""Many files: read and written across cores, in order, with progress on a terminal only."""

import os

from click.testing import CliRunner

from pipeline.cli import main
from pipeline.core.parallel import PARALLEL_MIN, parallel_map


def test_parallel_map_keeps_order_and_reports_progress():
    seen = []
    items = list(range(PARALLEL_MIN + 9))
    squares = parallel_map(lambda x: (x * x, os.getpid()), items, seen.append)
    assert [sq for sq, _ in squares] == [x * x for x in items]
    if (os.cpu_count() or 1) >= 2:  # enough items and cores: the work is done in forked workers
        assert os.getpid() not in {pid for _, pid in squares}
    results = parallel_map(lambda x: x * 3, items, seen.append)
    assert results == [x * 3 for x in items]
    assert len(seen) == 2 * len(items) and set(seen) == {1}


def test_many_templates_and_returns_without_a_terminal_are_quiet(tmp_path):
    from pipeline.core.campaign import campaign_toml
    import datetime as dt

    companies = [(f"s{i:03d}", f"Société {i}") for i in range(60)]
    (tmp_path / "campagnes").mkdir()
    (tmp_path / "campagnes" / "big.toml").write_text(
        campaign_toml("big", "Big", dt.date(2026, 7, 1), dt.date(2026, 9, 1), {"nom": "x"}, companies),
        encoding="utf-8")
    result = CliRunner().invoke(main, ["--racine", str(tmp_path), "modeles", "-c", "big", "--forcer"], prog_name="effectifs")
    assert result.exit_code == 0 and "60 modèles nouveaux" in result.output
    assert "Écriture des modèles" not in result.output + result.stderr  # not a terminal: no progress bar
    assert len(list((tmp_path / "templates_xlsx" / "big").glob("*.xlsx"))) == 60
