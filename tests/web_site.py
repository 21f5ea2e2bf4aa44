"""A project with the 2007 campaign's templates written, a secretary's account and every company's private link,
and what the web tests share (the test client, the CSRF token of a page, good and faulty returns)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import socket
import warnings
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import openpyxl

from pipeline.api import Project
from pipeline.core.campaign import DEMO_MARKER, Campaign
from pipeline.core.form import SHEET_INPUT
from pipeline.demo import sample_figures
from pipeline.web.app import create_app
from pipeline.write.template import write_template

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Starlette's note that httpx will be replaced by httpx2 some day
    from starlette.testclient import TestClient

PASSWORD = "un mot de passe assez long"
USER = "secretariat"


@dataclass
class Site:
    root: Path
    project: Project
    campaign: Campaign
    links: dict[str, str]

    def app(self, **options):
        return create_app(self.project, self.campaign, **options)

    def client(self, **options) -> TestClient:
        return TestClient(self.app(**{k: v for k, v in options.items() if k != "root_path"}),
                          root_path=options.get("root_path", ""))

    def good(self, company: str, folder: Path, values: dict | None = None) -> Path:
        figures = values if values is not None else sample_figures(self.campaign)[company]
        return write_template(self.campaign, company, folder / f"{company}.xlsx", figures)

    def with_error(self, company: str, folder: Path) -> Path:
        """A return whose first headcount is a negative number, as a hurried HR would type it."""
        path = self.good(company, folder)
        wb = openpyxl.load_workbook(path)
        ws = wb[SHEET_INPUT]
        cell = next(ws[f"E{c.row}"] for c in ws["A"] if c.value == "0201")
        cell.value = -3
        wb.save(path)
        return path


def free_port() -> int:
    """A port of localhost nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_site(root: Path) -> Site:
    root.mkdir(parents=True, exist_ok=True)
    (root / DEMO_MARKER).write_text("tests", encoding="utf-8")
    project = Project(root)
    campaign = project.campaign()
    project.write_templates(campaign, force=True)
    project.set_password(USER, PASSWORD)
    links = project.make_links(campaign, dt.datetime.now() + dt.timedelta(days=30))
    return Site(root, project, campaign, links)


def copy_site(base: Site, root: Path) -> Site:
    shutil.copytree(base.root, root)
    project = Project(root)
    return Site(root, project, project.campaign(), base.links)


def csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def text(html: str) -> str:
    """What a reader sees of a page: tags gone, entities decoded, spaces folded."""
    return re.sub(r"[ \t\r\n]+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def login(client: TestClient, password: str = PASSWORD):
    page = client.get("/connexion")
    return client.post("/connexion", data={"csrf": csrf(page.text), "nom": USER, "mot_de_passe": password},
                       follow_redirects=False)
