"""The guides' commands are run as written (issue 13: "the guides' commands are run by a test as written").

README.md, docs/guide-secretariat.md and docs/guide-rh.md are read as Markdown. Conventions (the guides follow
them; this test enforces them):

- ```sh blocks hold the commands of Linux and macOS, one per line (``&&`` chains and ``# comments`` allowed).
  Every ``effectifs …`` command in them is run, in document order, in a fresh project folder of its own per
  document, by the installed console script: the virtual environment's ``bin`` is first on PATH, as after
  ``source .venv/bin/activate``. Each must exit with 0, or with the code a ``<!-- essai: sortie N -->``
  directive just before its block announces (the guide says in words why: rejected files, companies missing).
- ```bat (cmd) and ```powershell blocks are the Windows commands. A ```sh block whose commands differ under
  Windows (paths with ``/``, activation, ``python3``, ``mkdir -p``…) must be followed by one, with the same
  ``effectifs`` commands; they are not run (this is Linux).
- ```text, ```toml and ```csv blocks are examples and are not run; a fence without a language is refused, so
  that no command escapes the test.
- What a user does by hand between two commands (HR filling a workbook in Excel, the secretary completing the
  campaign file) is a hidden directive ``<!-- essai: ACTION ARGUMENTS -->``, interpreted by :data:`ACTIONS`.
- Commands that install or that the test stands for are skipped, and only those listed in
  :data:`SKIPPED_BY_DESIGN`; any other command in a ```sh block fails the test until it is interpreted here.

Every ``effectifs …`` written inline in the prose (between backticks) must name a command and options that exist.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shlex
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pytest
from cogapp import Cog

from pipeline.api import Project
from pipeline.cli import main
from pipeline.core.form import (
    COL_KEPT,
    HEADER_ROW,
    KEY_NV,
    REVIEW_HEADER_ROW,
    SHEET_INPUT,
    SHEET_REVIEW,
)
from pipeline.core.texts import labels as L
from pipeline.demo import sample_figures

ROOT = Path(__file__).resolve().parents[1]
DOCS = ["README.md", "docs/guide-secretariat.md", "docs/guide-rh.md"]
RUN = "sh"
WINDOWS = {"bat", "powershell"}
EXAMPLES = {"text", "toml", "csv", "nginx", "ini"}  # not run: files to write, a server's set-up
BIN = Path(sys.executable).parent  # the virtual environment's bin: .venv/bin after the README's install

# Command prefixes a ```sh block may hold that the test does not run, and why.
SKIPPED_BY_DESIGN = {
    "python3 -m venv": "creates the virtual environment the test already runs in",
    ".venv/bin/pip install": "installs the tool; the test runs the installed console script of this environment",
    ".venv/bin/python -m pytest": "runs the tests, this one included",
    "source .venv/bin/activate": "puts .venv/bin first on PATH, which the test does for every command",
    "git clone": "fetches the repository the test runs in",
    "effectifs serve": "starts the web server, which runs until stopped; tests/test_web_browser.py runs it",
}
# A ```sh block needs a Windows twin when one of these appears in it.
UNIX_ONLY = re.compile(r"\.venv/bin|\bsource\b|\bpython3\b|mkdir -p|'|[A-Za-z_]/\w|\w/[A-Za-z_]")


@dataclass
class Block:
    lang: str
    lines: list[str]
    line: int  # where it starts in the file, 1-based


@dataclass
class Directive:
    action: str
    args: list[str]
    line: int


@dataclass
class Doc:
    path: Path
    items: list = field(default_factory=list)  # Blocks and Directives, in document order

    @property
    def blocks(self) -> list[Block]:
        return [i for i in self.items if isinstance(i, Block)]


FENCE = re.compile(r"^```(.*)$")
DIRECTIVE = re.compile(r"^\s*<!--\s*essai\s*:\s*(.+?)\s*-->\s*$")


def parse(path: Path) -> Doc:
    doc, block = Doc(path), None
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        fence = FENCE.match(line)
        if block is not None:
            if fence and not fence.group(1).strip():
                doc.items.append(block)
                block = None
            else:
                block.lines.append(line)
        elif fence:
            block = Block(fence.group(1).strip(), [], n)
        elif m := DIRECTIVE.match(line):
            action, *args = shlex.split(m.group(1))
            doc.items.append(Directive(action, args, n))
    assert block is None, f"{path.name}: block opened at line {block.line} is never closed"
    return doc


def commands(block: Block) -> list[list[str]]:
    """The commands of a block: continuation lines joined, ``&&`` chains split, comments dropped."""
    text = re.sub(r"\\\n\s*", " ", "\n".join(block.lines)) if block.lang == RUN else "\n".join(block.lines)
    out = []
    for line in text.splitlines():
        tokens = shlex.split(line, comments=True, posix=block.lang == RUN)
        while tokens:
            cut = tokens.index("&&") if "&&" in tokens else len(tokens)
            if tokens[:cut]:
                out.append(tokens[:cut])
            tokens = tokens[cut + 1:]
    return out


def is_effectifs(tokens: list[str]) -> bool:
    return bool(tokens) and re.sub(r"\.exe$", "", re.split(r"[\\/]", tokens[0])[-1]) == "effectifs"


def skipped(tokens: list[str]) -> str | None:
    line = " ".join(tokens)
    return next((why for prefix, why in SKIPPED_BY_DESIGN.items() if line.startswith(prefix)), None)


# --- what users do by hand, between two commands ------------------------------------------------------------

def complete_campaign(root: Path, ident: str) -> None:
    """The secretary completes the campaign file as the guide asks: the contact, each company's HR e-mail. A
    deadline the calendar has passed since the guide was written is moved, so that ``modeles`` accepts it."""
    path = root / "campagnes" / f"{ident}.toml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'(?m)^nom = ".*"$', 'nom = "Secrétariat du SNSA"', text, count=1)
    text = re.sub(r'(?m)^email = ".*"$', 'email = "secretariat@snsa.fr"', text, count=1)
    text = re.sub(r'(?m)^raison_sociale = "(.*)"$(?!\n(?:contact|email))',
                  lambda m: f'{m.group(0)}\nemail = "rh@{re.sub("[^a-z]", "", m.group(1).lower())}.fr"', text)
    deadline = re.search(r"(?m)^date_limite = (\S+)$", text)
    if dt.date.fromisoformat(deadline.group(1)) < dt.date.today():
        text = text.replace(deadline.group(0), f"date_limite = {dt.date.today() + dt.timedelta(days=60)}")
    path.write_text(text, encoding="utf-8")


def fill_returns(root: Path, ident: str, *companies: str) -> None:
    """HR fill the template they received (the demo's fictional figures) and send it back under a name of their
    own; the secretary drops it, as received, in inputs/<campaign>/."""
    campaign = Project(root).campaign(ident)
    figures = sample_figures(campaign)
    folder = campaign.inputs_dir(root)
    folder.mkdir(parents=True, exist_ok=True)
    for soc in campaign.societes.itertuples(index=False):
        if companies and soc.identifiant not in companies:
            continue
        wb = openpyxl.load_workbook(campaign.templates_dir(root) / soc.fichier)
        ws = wb[SHEET_INPUT]
        rows = {c.value: c.row for c in ws["A"] if c.value}
        comment = next(c.column_letter for c in ws[HEADER_ROW + 1] if c.value == L.HEADING_COMMENT)
        for key, value in figures[soc.identifiant].items():
            ws[f"E{rows[key]}"] = value
        ws[f"{comment}{rows[KEY_NV]}"] = "Directeur général, assistante de direction"
        for old in folder.glob(f"* {soc.raison_sociale} *.xlsx"):
            old.unlink()  # a corrected return replaces the rejected one
        wb.save(folder / f"Effectifs {soc.raison_sociale} {ident}.xlsx")


def faulty_return(root: Path, ident: str, company: str) -> None:
    """HR type 12,5 people for 0102: the return is rejected."""
    campaign = Project(root).campaign(ident)
    name = campaign.raison_sociale(company)
    path = campaign.inputs_dir(root) / f"Effectifs {name} {ident}.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_INPUT]
    ws[f"E{next(c.row for c in ws['A'] if c.value == '0102')}"] = 12.5
    wb.save(path)


HR_EXPORT = {"CDA N1 - Plateau Auto": 20, "Chef de salle": 3, "Médecin régul.": 2, "Gest. paie - DRH": 1,
             "Hôtesse standard": 2, "Acheteur": 1}


def hr_export(root: Path, name: str) -> None:
    """A company's HR export: one row per job title with its headcount."""
    rows = "".join(f"{title};{n}\n" for title, n in HR_EXPORT.items())
    (root / name).write_text("Intitulé de poste;Effectif\n" + rows, encoding="utf-8")


def review_checked(root: Path, name: str) -> None:
    """HR check the review workbook: the proposed code kept where there is one, NV otherwise."""
    path = root / name
    wb = openpyxl.load_workbook(path)
    for row in wb[SHEET_REVIEW].iter_rows(min_row=REVIEW_HEADER_ROW + 2):
        if row[0].value and not row[COL_KEPT].value:
            row[COL_KEPT].value = row[2].value or "NV"
    wb.save(path)


def exists(root: Path, *paths: str) -> None:
    """The files the guide says a command wrote are there."""
    for path in paths:
        assert (root / path).exists(), f"{path} is not where the guide says"


def sheets(root: Path, path: str, *names: str) -> None:
    """The workbook has the sheets the guide names."""
    have = openpyxl.load_workbook(root / path, read_only=True).sheetnames
    assert set(names) <= set(have), f"{path}: {have}"


def predecessor(root: Path, ident: str, previous: str) -> None:
    """The campaign file names the campaign it follows (``-``: none)."""
    campaign = Project(root).campaign(ident)
    assert (campaign.precedente or "-") == previous, campaign.precedente


ACTIONS = {"existe": exists, "feuilles": sheets, "precedente": predecessor, "completer-campagne": complete_campaign, "remplir-retours": fill_returns, "erreur-retour": faulty_return,
           "export-rh": hr_export, "revue-verifiee": review_checked}


# --- running a document ------------------------------------------------------------------------------------

@dataclass
class Ran:
    doc: str
    runs: list = field(default_factory=list)     # (line, command, seconds)
    skips: list = field(default_factory=list)    # (line, command, why)
    seconds: float = 0.0


def run_doc(doc: Doc, root: Path) -> Ran:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
           "EFFECTIFS_MOT_DE_PASSE": "le mot de passe que taperait le secrétariat"}  # `mot-de-passe` asks for it
    for name in ("EFFECTIFS_RACINE", "EFFECTIFS_BASE", "EFFECTIFS_CAMPAGNE"):
        env.pop(name, None)
    ran, cwd, expected, started = Ran(doc.path.name), root, 0, time.monotonic()
    for item in doc.items:
        if isinstance(item, Directive):
            if item.action == "sortie":
                expected = int(item.args[0])
            else:
                assert item.action in ACTIONS, f"{doc.path.name}:{item.line}: unknown directive {item.action!r}"
                ACTIONS[item.action](cwd, *item.args)
            continue
        if item.lang != RUN:
            continue
        for tokens in commands(item):
            where = f"{doc.path.name}:{item.line}: {shlex.join(tokens)}"
            if why := skipped(tokens):
                ran.skips.append((item.line, shlex.join(tokens), why))
            elif is_effectifs(tokens):
                argv = [str(BIN / "effectifs"), *tokens[1:]] if "/" in tokens[0] else tokens
                began = time.monotonic()
                done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False)
                assert done.returncode == expected, (
                    f"{where}\nexit code {done.returncode}, the guide expects {expected}\n{done.stdout}{done.stderr}")
                assert "Erreur interne" not in done.stderr, f"{where}\n{done.stderr}"
                ran.runs.append((item.line, shlex.join(tokens), round(time.monotonic() - began, 1)))
            elif tokens[:2] == ["mkdir", "-p"]:
                (cwd / tokens[2]).mkdir(parents=True, exist_ok=True)
            elif tokens[0] == "cd":
                cwd = (cwd / tokens[1]).resolve()
                assert cwd.is_dir() and root.resolve() in [cwd, *cwd.parents], where
            else:
                pytest.fail(f"{where}\nneither run nor skipped by design: interpret it here or list it in "
                            "SKIPPED_BY_DESIGN")
        expected = 0
    ran.seconds = time.monotonic() - started
    return ran


@pytest.fixture(scope="module")
def docs() -> list[Doc]:
    return [parse(ROOT / name) for name in DOCS]


@pytest.fixture(scope="module")
def ran(docs, tmp_path_factory) -> list[Ran]:
    """Every document run in its own project folder, whose name has spaces and accents; the documents at once."""
    assert (BIN / "effectifs").exists(), f"no effectifs console script in {BIN}: install the project first"
    roots = [tmp_path_factory.mktemp("guide") / "Dossier de l'équipe" for _ in docs]
    for root in roots:
        root.mkdir()
    with ThreadPoolExecutor(len(docs)) as pool:
        return list(pool.map(run_doc, docs, roots))


def test_every_documented_command_runs_as_written(ran):
    """Each document's ```sh commands run in order and exit as the guide says; the skips are the listed ones."""
    by_doc = {r.doc: r for r in ran}
    assert by_doc["README.md"].runs and by_doc["guide-secretariat.md"].runs
    ran_commands = {c.split()[1] for r in ran for _, c, _ in r.runs if len(c.split()) > 1}
    # The secretary's guide takes the secretary through every command of the tool.
    documented_only = {c.split()[1] for r in ran for _, c, _ in r.skips if c.startswith("effectifs ")}
    assert documented_only <= {"serve"}, documented_only  # a server runs until stopped: documented, not run here
    assert set(main.list_commands(None)) <= ran_commands | documented_only | {"--help", "--version"}, ran_commands
    for r in ran:
        for _, command, _ in r.skips:
            assert skipped(command.split()), command
    for r in ran:
        print(f"{r.doc}: {len(r.runs)} commands run, {len(r.skips)} skipped by design, {r.seconds:.0f} s")
        for line, command, seconds in r.runs:
            print(f"  {line:>4} {seconds:>5} s  {command}")


def test_conventions(docs):
    """Every fence has a language; a ```sh block whose commands differ on Windows has its Windows twin next to it,
    with the same effectifs commands; every Windows block follows a ```sh block."""
    for doc in docs:
        blocks = doc.blocks
        for i, block in enumerate(blocks):
            where = f"{doc.path.name}:{block.line}"
            assert block.lang in {RUN} | WINDOWS | EXAMPLES, f"{where}: fence language {block.lang!r}"
            if block.lang in WINDOWS:
                before = blocks[i - 1] if i else None
                twin = before if before is not None and before.lang == RUN else (
                    blocks[i - 2] if i > 1 and before.lang in WINDOWS and blocks[i - 2].lang == RUN else None)
                assert twin is not None, f"{where}: a Windows block follows the ```sh block it translates"
                assert _effectifs_of(block) == _effectifs_of(twin), f"{where}: not the same commands as line {twin.line}"
            if block.lang == RUN and UNIX_ONLY.search("\n".join(re.sub(r"(^|\s)#.*", "", l) for l in block.lines)):
                after = blocks[i + 1] if i + 1 < len(blocks) else None
                assert after is not None and after.lang in WINDOWS, f"{where}: give the Windows commands after it"


def _effectifs_of(block: Block) -> list[str]:
    """The effectifs commands of a block, written the same whatever the system: separators and quotes aside."""
    return [" ".join(t.replace("\\", "/").strip("\"'") for t in ["effectifs", *tokens[1:]])
            for tokens in commands(block) if is_effectifs(tokens)]


INLINE = re.compile(r"`(effectifs(?: [^`]*)?)`")


def test_inline_commands_exist(docs):
    """Every ``effectifs …`` quoted in the prose names a command of the tool and options it has."""
    import click

    checked = 0
    for doc in docs:
        for text in INLINE.findall(doc.path.read_text(encoding="utf-8")):
            tokens = [t for t in shlex.split(text.replace("…", ""), posix=True)]
            ctx = click.Context(main)
            group_options = {o for p in main.params for o in p.opts}
            rest = tokens[1:]
            while rest and rest[0].startswith("-"):
                option = rest.pop(0)
                assert option in group_options, f"{doc.path.name}: {text}: {option}"
                if option in ("--racine", "--base"):
                    rest = rest[1:]
            if not rest or rest[0].isupper():
                continue
            command = main.get_command(ctx, rest[0])
            assert command is not None, f"{doc.path.name}: « {text} »: no command {rest[0]!r}"
            options = {o for p in command.params for o in p.opts + p.secondary_opts} | {"--help", "-h"}
            for token in rest[1:]:
                if token.startswith("-"):
                    assert token.split("=")[0] in options, f"{doc.path.name}: « {text} »: no option {token!r}"
            checked += 1
    assert checked > 10


def test_hr_guide_is_the_templates_guide():
    """docs/guide-rh.md gives the « Mode d'emploi » sheet of the templates (generated by cog from
    pipeline/core/texts/guide.py); --check fails when it is stale."""
    status = Cog().main(["cog", "--check", "-I", str(ROOT), str(ROOT / "docs" / "guide-rh.md")])
    assert status == 0, "docs/guide-rh.md is out of date: run .venv/bin/cog -r docs/guide-rh.md"
