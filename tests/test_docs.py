"""The documentation cannot drift from the tool: the command reference is the command's own help."""

from pathlib import Path

from cogapp import Cog

ROOT = Path(__file__).resolve().parents[1]


def test_command_reference_is_the_commands_own_help():
    """docs/commandes.md is regenerated from ``effectifs … --help`` (cog); --check fails when it is stale."""
    status = Cog().main(["cog", "--check", "-I", str(ROOT), str(ROOT / "docs" / "commandes.md")])
    assert status == 0, "docs/commandes.md is out of date: run .venv/bin/cog -r docs/commandes.md"
