"""The documentation cannot drift from the tool: the command reference is the command's own help."""

from pathlib import Path

from cogapp import Cog

ROOT = Path(__file__).resolve().parents[1]


def test_command_reference_is_the_commands_own_help():
    """docs/commandes.md is regenerated from ``effectifs … --help`` (cog); --check fails when it is stale."""
    status = Cog().main(["cog", "--check", "-I", str(ROOT), str(ROOT / "docs" / "commandes.md")])
    assert status == 0, "docs/commandes.md is out of date: run .venv/bin/cog -r docs/commandes.md"


def test_every_module_is_in_the_readme_module_table():
    """The README's module table names every module of the package, so a newcomer finds each one."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = "\n".join(line for line in readme.splitlines() if line.startswith("| `"))
    package = ROOT / "pipeline"
    missing = []
    for path in sorted(package.rglob("*.py")):
        if path.name == "__init__.py" and path.parent.name != "cli":
            continue
        relative = path.relative_to(package).as_posix()
        # a module is named by its path, or by its bare name in a row of its folder (« `core/texts/` (`mails.py`…) »)
        if f"`{relative}`" not in table and not any(f"`{path.parent.relative_to(package).as_posix()}/" in row
                                                    and f"`{path.name}`" in row for row in table.splitlines()):
            missing.append(relative)
    assert not missing, f"modules missing from the README's module table: {missing}"
