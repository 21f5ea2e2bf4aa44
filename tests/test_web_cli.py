"""The web front's commands: the password, the private links, and ``serve`` loading the web modules only
when it runs."""

from __future__ import annotations

import email
import email.policy
import os
import stat
import subprocess
import sys

from click.testing import CliRunner

from pipeline.api import Project
from pipeline.cli import main
from tests.conftest import demo_root


def test_password_is_set_hashed_and_must_be_long_enough(tmp_path):
    demo_root(tmp_path)
    short = CliRunner().invoke(main, ["--racine", str(tmp_path), "mot-de-passe"], env={"EFFECTIFS_MOT_DE_PASSE": "court"})
    assert short.exit_code == 3 and "au moins 10 caractères" in short.output
    ok = CliRunner().invoke(main, ["--racine", str(tmp_path), "mot-de-passe", "--nom", "marie"],
                            env={"EFFECTIFS_MOT_DE_PASSE": "correct horse battery"})
    assert ok.exit_code == 0 and "« marie » enregistré (haché)" in ok.output
    project = Project(tmp_path)
    assert project.login("marie", "correct horse battery") and not project.login("marie", "autre chose")


def test_links_file_is_private_and_links_can_be_revoked(tmp_path):
    demo_root(tmp_path)
    r = CliRunner().invoke(main, ["--racine", str(tmp_path), "liens", "--adresse", "https://intra.example/eff/",
                                  "--expire", "01/01/2099"])
    assert r.exit_code == 0 and "9 liens privés créés, valables jusqu'au 01/01/2099" in r.output
    path = tmp_path / "outputs" / "2007" / "liens_prives.txt"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    lines = path.read_text(encoding="utf-8").splitlines()
    company, name, url = lines[0].split("\t")
    assert url.startswith("https://intra.example/eff/societe/")
    project = Project(tmp_path)
    token = url.rsplit("/", 1)[1]
    assert project.link(token).usable()
    r = CliRunner().invoke(main, ["--racine", str(tmp_path), "liens", "--revoquer", company])
    assert r.exit_code == 0 and f"1 lien révoqué pour la société {name}" in r.output
    assert not project.link(token).usable()
    kept = path.read_text(encoding="utf-8").splitlines()  # the file lists the links that still open a page
    assert kept == lines[1:] and stat.S_IMODE(os.stat(path).st_mode) == 0o600
    r = CliRunner().invoke(main, ["--racine", str(tmp_path), "liens", "--revoquer", "personne"])
    assert r.exit_code == 3 and "Société inconnue" in r.output


def test_serve_help_and_no_web_module_loaded_by_other_commands():
    r = CliRunner().invoke(main, ["serve", "--help"])
    assert r.exit_code == 0 and "--chemin-racine" in r.output and "127.0.0.1" in r.output
    code = ("import sys; from pipeline.cli import main; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('starlette', 'uvicorn', 'jinja2', 'multipart') "
            "or m.startswith('pipeline.web')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_links_go_into_the_send_out_emails(tmp_path):
    demo_root(tmp_path)
    project = Project(tmp_path)
    project.write_templates(project.campaign(), force=True)
    r = CliRunner().invoke(main, ["--racine", str(tmp_path), "liens", "--adresse", "https://intra.example/eff"])
    assert r.exit_code == 0 and "Courriels d'envoi réécrits avec le lien de chaque société" in r.output
    assert "cette date est passée" in r.output  # the demo's 2007 deadline: the default expiry is long gone
    links = dict(line.split("\t")[0::2] for line in
                 (tmp_path / "outputs" / "2007" / "liens_prives.txt").read_text(encoding="utf-8").splitlines())
    mail = tmp_path / "outputs" / "2007" / "courriels" / "envoi" / "acta.txt"
    body = mail.read_text(encoding="utf-8")
    assert links["acta"] in body and links["ima"] not in body and "Ce lien est réservé à Acta" in body
    assert stat.S_IMODE(os.stat(mail).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(mail.with_suffix(".eml")).st_mode) == 0o600


def test_templates_written_again_keep_the_links_still_valid(tmp_path):
    """`modeles` after `liens` (a template corrected, a company added) writes the e-mails again: each keeps its
    company's link while it opens the page; a revoked link is left out."""
    demo_root(tmp_path)
    project = Project(tmp_path)
    project.write_templates(project.campaign(), force=True)
    r = CliRunner().invoke(main, ["--racine", str(tmp_path), "liens", "--adresse", "https://intra.example/eff",
                                  "--expire", "01/01/2099"])
    assert r.exit_code == 0
    links = dict(line.split("\t")[0::2] for line in
                 (tmp_path / "outputs" / "2007" / "liens_prives.txt").read_text(encoding="utf-8").splitlines())
    r = CliRunner().invoke(main, ["--racine", str(tmp_path), "liens", "--revoquer", "ima"])
    assert r.exit_code == 0
    project.write_templates(project.campaign(), force=True)
    folder = tmp_path / "outputs" / "2007" / "courriels" / "envoi"
    assert links["acta"] in (folder / "acta.txt").read_text(encoding="utf-8")
    eml = email.message_from_bytes((folder / "acta.eml").read_bytes(), policy=email.policy.default)
    assert links["acta"] in eml.get_body(("plain",)).get_content()
    assert links["ima"] not in (folder / "ima.txt").read_text(encoding="utf-8")
    assert stat.S_IMODE(os.stat(folder / "acta.eml").st_mode) == 0o600
