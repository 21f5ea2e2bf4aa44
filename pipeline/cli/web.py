"""The web front's commands: ``serve`` (the site), ``mot-de-passe`` (the secretary's account), ``liens``
(each company's private link). The web modules and uvicorn are imported inside ``serve`` only, so that the
other commands and ``effectifs --help`` do not load them."""

from __future__ import annotations

import datetime as dt
import getpass
import os
import sys

import click

from ..core.errors import UserError
from ..core.texts import fr
from ..core.texts import web as W
from .common import _guard, _project, _say, campaign_option
from .french import FrenchDate

MIN_PASSWORD = 10


@click.command("serve", short_help=W.HELP_SERVE_SHORT, help=W.HELP_SERVE)
@campaign_option
@click.option("--hote", default="127.0.0.1", show_default=True, help=W.HELP_HOST)
@click.option("--port", default=8000, type=click.IntRange(1, 65535), show_default=True, help=W.HELP_PORT)
@click.option("--chemin-racine", "root_path", default="", help=W.HELP_ROOT_PATH)
@click.option("--proxy", "proxies", default="", help=W.HELP_PROXY)
@click.option("--https", "secure", is_flag=True, help=W.HELP_SECURE)
@click.option("--processus", "workers", default=1, type=click.IntRange(1, 64), show_default=True, help=W.HELP_WORKERS)
@_guard
def serve(campaign_ref: str, hote: str, port: int, root_path: str, proxies: str, secure: bool, workers: int) -> None:
    import uvicorn

    from ..core.correspondences import previous_campaign
    from ..web.app import create_app, site_environment

    project = _project()
    campaign = project.campaign(campaign_ref)
    previous_campaign(campaign, project.root)  # a company's upload is compared with it: refused before, not then
    if not project.has_accounts():
        _say(W.NO_PASSWORD)
    os.umask(0o077)  # what the site writes holds companies' figures: readable by its owner only
    app = create_app(project, campaign, secure=secure)
    root = "/" + root_path.strip("/") if root_path.strip("/") else ""
    _say(fr(W.SERVING, campagne=campaign.identifiant, hote=hote, port=str(port), racine=root))
    options = {"host": hote, "port": port, "root_path": root, "proxy_headers": bool(proxies),
               "forwarded_allow_ips": proxies or None, "server_header": False, "log_level": "warning"}
    if workers == 1:
        uvicorn.run(app, **options)
        return
    # Checking an upload keeps the CPU busy: several processes (each its own interpreter) check several at once.
    # Each builds the same site from the environment; sessions, CSRF tokens and locks live in the history and
    # the files, which they share.
    os.environ.update(site_environment(project, campaign, secure))
    uvicorn.run("pipeline.web.app:app_from_environment", factory=True, workers=workers, **options)


@click.command("mot-de-passe", short_help=W.HELP_PASSWORD_SHORT, help=W.HELP_PASSWORD)
@click.option("--nom", default="secretariat", show_default=True, help=W.HELP_USER)
@_guard
def password(nom: str) -> None:
    secret = os.environ.get("EFFECTIFS_MOT_DE_PASSE")
    if not secret and sys.stdin.isatty():
        secret = getpass.getpass(W.PASSWORD_PROMPT + " : ")
    elif not secret:  # piped in (getpass would warn in English that it cannot hide it)
        secret = sys.stdin.readline().rstrip("\r\n")
    if not secret:
        raise UserError(W.PASSWORD_NONE)
    if len(secret) < MIN_PASSWORD:
        raise UserError(fr(W.PASSWORD_SHORT, n=MIN_PASSWORD))
    project = _project()
    project.set_password(nom, secret)
    _say(fr(W.PASSWORD_SET, nom=nom, chemin=project.db))


@click.command("liens", short_help=W.HELP_LINKS_SHORT, help=W.HELP_LINKS)
@campaign_option
@click.option("--adresse", "base_url", default="http://127.0.0.1:8000", show_default=True, help=W.HELP_BASE_URL)
@click.option("--revoquer", "revoke", default=None, metavar="SOCIETE", help=W.HELP_REVOKE)
@click.option("--expire", "expires", type=FrenchDate(), default=None, help=W.HELP_EXPIRES)
@_guard
def links(campaign_ref: str, base_url: str, revoke: str | None, expires) -> None:
    project = _project()
    campaign = project.campaign(campaign_ref)
    if revoke is not None:
        if revoke not in campaign.company_ids:
            raise UserError(fr(W.UNKNOWN_COMPANY, campagne=campaign.identifiant, societe=revoke))
        _say(fr(W.LINK_REVOKED, n=project.revoke_links(campaign, revoke), societe=campaign.raison_sociale(revoke)))
        return
    until = dt.datetime.combine(expires, dt.time(23, 59, 59)) if expires else project.link_expiry(campaign)
    made = project.make_links(campaign, until)
    urls = {c: f"{base_url.rstrip('/')}/societe/{t}" for c, t in made.items()}
    path = project.write_links_file(campaign, urls)
    _say(fr(W.LINKS_WRITTEN, n=len(made), date=until, chemin=path))
    if until < dt.datetime.now():
        _say(W.LINKS_EXPIRED)
    _say(W.LINKS_KEEP)
    drafts = project.send_out_with_links(campaign, urls)
    if drafts is not None:
        _say(fr(W.LINKS_IN_MAILS, chemin=drafts))
