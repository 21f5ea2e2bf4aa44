"""What the pages share: rendering, the CSRF check, bounded uploads, security headers, the session cookie."""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from dataclasses import dataclass

import jinja2
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from ..api import Project
from ..core.campaign import Campaign
from ..core.texts import fr
from ..core.texts import web as W
from ..core.texts import datetime as fr_datetime
from ..read.xlsx import MAX_FILE

CSRF_COOKIE = "effectifs_csrf"
SESSION_COOKIE = "effectifs_session"
CSRF_FIELD = "csrf"
MAX_FILES = 20   # files the secretary uploads at once

_ENV = jinja2.Environment(loader=jinja2.PackageLoader("pipeline.web", "templates"),
                          autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
                          undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def _when(value: str) -> str:
    """An ISO moment as French readers write it."""
    try:
        return fr_datetime(dt.datetime.fromisoformat(value)) if value else ""
    except ValueError:
        return value


@dataclass
class Site:
    """What every request needs: the project, the campaign served, the limits and cookie settings."""

    project: Project
    campaign: Campaign
    secure: bool = False
    max_upload: int = MAX_FILE   # one file's size; a request carries at most MAX_FILES of them

    @property
    def max_request(self) -> int:
        return self.max_upload * MAX_FILES + 64 * 1024


def site(request: Request) -> Site:
    return request.app.state.site


def href(request: Request, path: str) -> str:
    return request.scope.get("root_path", "").rstrip("/") + path


def csrf_token(request: Request) -> str:
    token = request.cookies.get(CSRF_COOKIE, "")
    if len(token) < 32:
        token = getattr(request.state, "new_csrf", "") or secrets.token_urlsafe(32)
        request.state.new_csrf = token
    return token


def csrf_ok(request: Request, form) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE, "")
    sent = form.get(CSRF_FIELD, "") if form is not None else ""
    return len(cookie) >= 32 and isinstance(sent, str) and hmac.compare_digest(cookie.encode(), sent.encode())


def _set_cookies(request: Request, response: Response) -> Response:
    new = getattr(request.state, "new_csrf", "")
    if new:
        response.set_cookie(CSRF_COOKIE, new, httponly=True, samesite="strict", secure=site(request).secure,
                            path=href(request, "/") or "/")
    return response


def render(request: Request, template: str, status_code: int = 200, **context) -> HTMLResponse:
    page = _ENV.get_template(template).render(
        request=request, href=lambda p: href(request, p), csrf=csrf_token(request), csrf_field=CSRF_FIELD,
        campaign=site(request).campaign, when=_when, fr=fr, W=W, **context)
    return _set_cookies(request, HTMLResponse(page, status_code=status_code))


def message_page(request: Request, text: str, status_code: int, title: str = "", back: str = "") -> HTMLResponse:
    """A page that says one thing; ``back``: the path of the page to go back to (a link under the text)."""
    return render(request, "message.html", status_code=status_code, text=text, title=title,
                  back=href(request, back) if back else "")


def redirect(request: Request, path: str) -> RedirectResponse:
    return RedirectResponse(href(request, path), status_code=303)


class FormRefused(Exception):
    """A form that cannot be used: its French reason and HTTP status."""

    def __init__(self, text: str, status_code: int):
        super().__init__(text)
        self.text, self.status_code = text, status_code


async def checked_form(request: Request, max_files: int = 0):
    """The form, parsed within bounds, its CSRF token checked; raises :class:`FormRefused`."""
    limit = site(request).max_upload
    try:
        form = await request.form(max_files=max_files, max_fields=20, max_part_size=limit)
    except MultiPartException as err:
        text = str(err)
        if "files" in text.lower():
            raise FormRefused(fr(W.TOO_MANY_FILES, n=max_files), 400) from None
        raise FormRefused(fr(W.TOO_LARGE, taille=size_text(limit)), 413) from None
    if not csrf_ok(request, form):
        raise FormRefused(W.CSRF_FAILED, 403)
    return form


async def uploads(form, name: str, limit: int) -> list[tuple[str, bytes]]:
    """The files of a form field, each read within ``limit`` bytes."""
    out = []
    for item in form.getlist(name):
        if not isinstance(item, UploadFile) or not item.filename:
            continue
        data = await item.read(limit + 1)
        if len(data) > limit:
            raise FormRefused(fr(W.TOO_LARGE, taille=size_text(limit)), 413)
        out.append((item.filename, data))
    return out


def size_text(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} Mo".replace(".", ",") if n >= 1024 * 1024 else f"{max(1, n // 1024)} Ko"
