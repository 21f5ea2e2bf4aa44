"""`effectifs modeles` run again during a campaign: a company added, renamed, given a new identifier,
removed; a deadline moved. It says which templates are new, which changed and why, which it left as they
were — by raison sociale — and moves the templates of companies no longer listed into anciens/."""

import io
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.core.campaign import embedded_campaign_path
from pipeline.write.refresh import content_digest

PAST = 1_000_000_000  # a file date long ago: a template left as it was keeps it


def _modeles(root: Path) -> str:
    result = CliRunner().invoke(main, ["--racine", str(root), "modeles", "-c", "2007", "--forcer"],
                                prog_name="effectifs", catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _edit(root: Path, *replacements: tuple[str, str], append: str = "") -> None:
    toml = root / "campagnes" / "2007.toml"
    text = toml.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    toml.write_text(text + append, encoding="utf-8")


def _age(folder: Path) -> None:
    for path in folder.glob("*.xlsx"):
        os.utime(path, (PAST, PAST))


@pytest.fixture
def root(tmp_path) -> Path:
    (tmp_path / "campagnes").mkdir()
    shutil.copyfile(embedded_campaign_path("2007"), tmp_path / "campagnes" / "2007.toml")
    return tmp_path


DELTA = """[[societes]]
identifiant = "delta-services"
raison_sociale = "Delta Services"
contact = "Direction des ressources humaines (fictif)"
email = "drh@delta-services.example"
"""
NEW_COMPANY = """
[[societes]]
identifiant = "nouvelle"
raison_sociale = "Nouvelle Assistance"
"""


def test_a_campaign_file_edited_during_the_campaign(root):
    folder = root / "templates_xlsx" / "2007"
    out = _modeles(root)
    assert "9 modèles nouveaux, à envoyer :" in out and "    Acta — effectifs_2007_acta.xlsx" in out
    assert "Inter Mutuelles Assistance — effectifs_2007_ima.xlsx" in out

    _age(folder)
    before = {p.name: p.read_bytes() for p in folder.glob("*.xlsx")}
    out = _modeles(root)
    assert "9 modèles inchangés, non réécrits : Acta, Axa Assistance, Delta Services," in out
    assert "Aucun modèle nouveau ou modifié : rien à envoyer." in out and "Envoyez" not in out
    assert all(p.stat().st_mtime == PAST and p.read_bytes() == before[p.name] for p in folder.glob("*.xlsx"))

    # A company added, one renamed, one listed under a new identifier, one removed.
    _edit(root, ('raison_sociale = "Acta"', 'raison_sociale = "Acta Assistance"'),
          ('identifiant = "axa-assistance"', 'identifiant = "axa-partners"'), (DELTA, ""), append=NEW_COMPANY)
    out = _modeles(root)
    assert "  2 modèles nouveaux, à envoyer :\n    Axa Assistance — effectifs_2007_axa-partners.xlsx\n" \
           "    Nouvelle Assistance — effectifs_2007_nouvelle.xlsx\n" in out
    assert "  1 modèle modifié, à envoyer de nouveau :\n    Acta Assistance — effectifs_2007_acta.xlsx " \
           "(raison sociale, auparavant « Acta »)\n" in out
    assert "  6 modèles inchangés, non réécrits : Europ Assistance, Fidélia, Garantie Assistance," in out
    assert f"  2 anciens modèles déplacés dans {folder / 'anciens'} :\n" \
           "    Axa Assistance — effectifs_2007_axa-assistance.xlsx (identifiant changé en « axa-partners »)\n" \
           "    Delta Services — effectifs_2007_delta-services.xlsx (société retirée du fichier de campagne)\n" in out
    assert "Envoyez les courriels des modèles nouveaux ou modifiés" in out
    assert sorted(p.name for p in (folder / "anciens").iterdir()) == ["effectifs_2007_axa-assistance.xlsx",
                                                                       "effectifs_2007_delta-services.xlsx"]
    assert len(list(folder.glob("*.xlsx"))) == 9 and not list(folder.glob(".*"))
    assert folder.joinpath("effectifs_2007_fidelia.xlsx").stat().st_mtime == PAST

    # The deadline moved and the contact changed: every template, and why.
    _edit(root, ("date_limite = 2007-09-28", "date_limite = 2007-10-05"),
          ('email = "secretariat@snsa.example"', 'email = "effectifs@snsa.example"'))
    out = _modeles(root)
    assert "9 modèles modifiés, à envoyer de nouveau :" in out
    assert "    Fidélia — effectifs_2007_fidelia.xlsx (date limite, contact)\n" in out
    assert "inchangé" not in out and "anciens" not in out
    assert "9 modèles inchangés, non réécrits" in _modeles(root)


def test_only_this_campaigns_templates_are_moved_aside(root):
    folder = root / "templates_xlsx" / "2007"
    _modeles(root)
    other = folder / "effectifs_2026_acta.xlsx"  # another campaign's template put here by hand
    shutil.copyfile(folder / "effectifs_2007_acta.xlsx", other)
    with zipfile.ZipFile(other) as src:
        parts = {name: src.read(name) for name in src.namelist()}
    parts["docProps/custom.xml"] = parts["docProps/custom.xml"].replace(b">2007<", b">2026<")
    with zipfile.ZipFile(other, "w") as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    (folder / "notes.xlsx").write_bytes(b"not a workbook")
    _edit(root, (DELTA, ""))
    out = _modeles(root)
    assert "1 ancien modèle déplacé dans" in out and "Delta Services — effectifs_2007_delta-services.xlsx" in out
    assert other.is_file() and (folder / "notes.xlsx").is_file()


def test_a_template_whose_layout_changed_is_rewritten(root):
    """A template made by an earlier version of the tool: the same properties, another layout."""
    folder = root / "templates_xlsx" / "2007"
    _modeles(root)
    path = folder / "effectifs_2007_ima.xlsx"
    with zipfile.ZipFile(path) as src:
        parts = {name: src.read(name) for name in src.namelist()}
    parts["xl/worksheets/sheet2.xml"] = parts["xl/worksheets/sheet2.xml"].replace(b'width="26.7109375"',
                                                                                  b'width="36.7109375"', 1)
    with zipfile.ZipFile(path, "w") as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    out = _modeles(root)
    assert "  1 modèle modifié, à envoyer de nouveau :\n    Inter Mutuelles Assistance — effectifs_2007_ima.xlsx " \
           "(présentation du modèle)\n" in out


def test_the_content_digest_ignores_dates(root):
    _modeles(root)
    path = root / "templates_xlsx" / "2007" / "effectifs_2007_acta.xlsx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = data.replace(b"2007-07-01T00:00:00Z", b"2031-01-02T03:04:05Z")
            dst.writestr(zipfile.ZipInfo(item.filename, date_time=(2031, 1, 2, 3, 4, 6)), data)
    copy = path.with_name("copie.xlsx")
    copy.write_bytes(buffer.getvalue())
    assert copy.read_bytes() != path.read_bytes() and content_digest(copy) == content_digest(path)
    assert content_digest(root / "campagnes" / "2007.toml") is None
