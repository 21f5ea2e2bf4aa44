"""The application: routes, the request-size bound, security headers, French error pages.

:func:`create_app` is what ``effectifs serve`` runs under uvicorn and what the tests drive.
"""

from __future__ import annotations

import os
from importlib import resources

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from ..api import Project
from ..core.campaign import Campaign
from ..core.texts import fr
from ..core.texts import web as W
from . import company, secretary
from .common import Site, message_page, redirect, size_text

# What ``serve --processus`` hands each of uvicorn's worker processes, which build the application themselves.
ENV_ROOT, ENV_DB, ENV_CAMPAIGN, ENV_SECURE = ("EFFECTIFS_SITE_RACINE", "EFFECTIFS_SITE_HISTORIQUE",
                                              "EFFECTIFS_SITE_CAMPAGNE", "EFFECTIFS_SITE_HTTPS")

HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),   # a company's private link never leaves in a Referer
    (b"content-security-policy", (b"default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
                                  b"form-action 'self'; base-uri 'none'")),
    (b"cache-control", b"no-store"),
]


class Bounded:
    """ASGI middleware: a request body larger than the site's bound is refused with 413 before it is read
    (announced size), or as soon as it goes past the bound (chunked); every response gets the security
    headers."""

    def __init__(self, app, site: Site):
        self.app, self.site = app, site

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.site.max_request
        headers = dict(scope.get("headers") or [])
        try:
            announced = int(headers.get(b"content-length", b"0") or 0)
        except ValueError:
            announced = 0
        if announced > limit:
            return await self._too_large(scope, receive, send)
        seen = 0

        async def bounded_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise TooLarge()
            return message

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + HEADERS
            await send(message)

        try:
            await self.app(scope, bounded_receive, send_with_headers)
        except TooLarge:
            await self._too_large(scope, receive, send)

    async def _too_large(self, scope, receive, send):
        text = fr(W.TOO_LARGE, taille=size_text(self.site.max_upload))
        response = PlainTextResponse(text, status_code=413, headers={k.decode(): v.decode() for k, v in HEADERS})
        await response(scope, receive, send)


class TooLarge(Exception):
    pass


async def _style(request: Request) -> Response:
    css = (resources.files("pipeline.web") / "templates" / "style.css").read_text(encoding="utf-8")
    return Response(css, media_type="text/css", headers={"cache-control": "max-age=3600"})


async def _home(request: Request) -> Response:
    return redirect(request, "/secretariat")


async def _not_found(request: Request, exc: HTTPException) -> Response:
    if exc.status_code == 405:
        return message_page(request, W.NOT_FOUND, 405)
    return message_page(request, W.NOT_FOUND, exc.status_code if exc.status_code >= 400 else 404)


async def _internal(request: Request, exc: Exception) -> Response:
    return message_page(request, W.INTERNAL, 500)


def create_app(project: Project, campaign: Campaign, secure: bool = False, max_upload: int | None = None):
    """The site of ``campaign``. ``secure``: cookies for HTTPS only; ``max_upload``: one file's bound in bytes
    (the readers' own by default)."""
    site = Site(project, campaign, secure)
    if max_upload is not None:
        site.max_upload = max_upload
    routes = [Route("/", _home), Route("/style.css", _style), *secretary.ROUTES, *company.ROUTES]
    app = Starlette(routes=routes, exception_handlers={HTTPException: _not_found, Exception: _internal})
    app.state.site = site
    app.add_middleware(Bounded, site=site)
    return app


def site_environment(project: Project, campaign: Campaign, secure: bool) -> dict[str, str]:
    """The variables :func:`app_from_environment` reads: the site that ``create_app`` would make here."""
    return {ENV_ROOT: str(project.root.resolve()), ENV_DB: str(project.db.resolve()),
            ENV_CAMPAIGN: campaign.identifiant, ENV_SECURE: "1" if secure else ""}


def app_from_environment():
    """The application of one of uvicorn's worker processes (``serve --processus N``): the site whose project,
    history, campaign and cookie setting ``serve`` put in the environment (:func:`site_environment`)."""
    project = Project(os.environ[ENV_ROOT], os.environ[ENV_DB])
    return create_app(project, project.campaign(os.environ[ENV_CAMPAIGN]), secure=os.environ.get(ENV_SECURE) == "1")
