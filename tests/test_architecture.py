"""The house rules, checked: the layers import downward only, no import cycle, small modules, and every
French text users read lives in the catalogue (pipeline/core/texts)."""

import ast
import re
import subprocess
import sys
from pathlib import Path

import grimp
import pandera.pandas as pa

from pipeline.core import models
from pipeline.core.models_etp import SaisiesEtp
from pipeline.core.texts.messages import MESSAGES, render

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "pipeline"
MAX_LINES = 400
# Modules whose French strings are data, not text for users: vocabularies stored in frames and in the
# history, the job-title matcher's words, the column names of HR exports, the demo's fictional content.
FRENCH_DATA = {"core/vocab.py", "compute/matching.py", "check/export.py", "check/review.py", "demo.py",
               "store/history.py"}
FRENCH = re.compile(r"[àâçéèêëîïôûùüÿœæ«»]|\s(le|la|les|des|du|une|un|est|sont|pour|dans|avec|aucun|aucune)\s", re.I)


def _modules():
    return sorted(p for p in PACKAGE.rglob("*.py"))


def test_layers_import_downward_only():
    """import-linter's contracts in pyproject.toml (``lint-imports`` says the same)."""
    done = subprocess.run([str(Path(sys.executable).parent / "lint-imports"), "--config", str(ROOT / "pyproject.toml"),
                           "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0 and "0 broken" in done.stdout, done.stdout + done.stderr


def test_no_import_cycle():
    graph = grimp.build_graph("pipeline")
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            if imported == module:
                continue
            back = graph.find_shortest_chain(importer=imported, imported=module)
            assert back is None, f"cycle: {module} -> {imported} -> … -> {module}: {back}"


def test_no_import_hidden_inside_a_function_except_the_commands_lazy_ones():
    for path in _modules():
        rel = path.relative_to(PACKAGE).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                inner = [n for n in ast.walk(node) if isinstance(n, (ast.Import, ast.ImportFrom))]
                assert not inner or rel.startswith("cli/"), f"{rel}: import inside {node.name}()"


def test_modules_stay_small():
    too_long = {p.relative_to(PACKAGE).as_posix(): n for p in _modules()
                if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not too_long, too_long


def _docstrings(tree) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    return out


def test_french_texts_live_in_the_catalogue():
    found = []
    for path in _modules():
        rel = path.relative_to(PACKAGE).as_posix()
        if rel.startswith("core/texts/") or rel in FRENCH_DATA:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs \
                    and FRENCH.search(node.value):
                found.append(f"{rel}:{node.lineno}: {node.value[:60]!r}")
    assert not found, "\n".join(found)


def _codes_used() -> set[str]:
    """Message codes the checks emit: the second argument of every ``….add(gravité, "code", …)``."""
    codes = set()
    for path in (PACKAGE / "check").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "add" and len(node.args) >= 2 \
                    and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str):
                codes.add(node.args[1].value)
    return codes


def test_every_message_code_is_in_the_catalogue():
    used = _codes_used()
    assert len(used) > 20
    assert used <= set(MESSAGES), used - set(MESSAGES)
    schema_checks = set()
    for model in (models.Saisies, SaisiesEtp, models.Declarations, models.FamillesCsv, models.MetiersCsv):
        schema = model.to_schema()
        checks = [c for col in schema.columns.values() for c in col.checks] + list(schema.checks)
        schema_checks |= {c.name for c in checks if isinstance(c, pa.Check) and "." in str(c.name)}
    assert schema_checks <= set(MESSAGES), schema_checks - set(MESSAGES)


def test_every_catalogue_text_is_filled_without_a_leftover_brace():
    sample = dict(valeur="x", cle="0102", n=2, max=10, fichiers="a", societe="s", campagne="c", attendue="c",
                  format="0", attendu="1", feuilles="F", saisie="Effectifs", nom="N", presentes="A, B",
                  intitule="I", cellules="A1, A2", zone="E1:E2", contenu="c", avec_effectif=1, actuel="a",
                  formule="=1", texte="t", affiche="1", total=3, ventiles=1, non_ventiles=1, somme=2, ecart=1,
                  autres="b", libelle="l", avant=1, maintenant=2, precedente="p", part=0.5, explication="",
                  nature="n", taille="1 Mo", erreur="e", extension=".txt", code="0101", famille="01", entete="E",
                  lue="F", entetes="A, B", effectif="E12", ventilation="Sexe", marge="Sexe", categorie="Femmes",
                  etp=1.5, personnes=3, apres=2, seuil=10, fichier="f.xlsx", autre="o")
    for code in MESSAGES:
        for text in render(code, sample):
            assert "{" not in text and "}" not in text, (code, text)
