"""Each company's private page, reached through its secret link: its template, its upload checked at once
(the same verdict and problems the secretary sees, cell by cell), its own submissions and its review state.
A link opens one company's page of one campaign, and nothing else."""

from __future__ import annotations

import anyio.to_thread
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from ..core.campaign import Campaign
from ..core.texts import web as W
from ..core.vocab import WebEvent
from .common import FormRefused, checked_form, message_page, redirect, render, site, uploads

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _checks(request: Request) -> anyio.CapacityLimiter:
    """The application's queue of uploads to check, one at a time (made on first use, in the server's loop)."""
    state = request.app.state
    if getattr(state, "checks", None) is None:
        state.checks = anyio.CapacityLimiter(1)
    return state.checks


def _opened(request: Request) -> tuple[Campaign, str] | Response:
    """The campaign and company the link opens, or the page that refuses it."""
    s = site(request)
    token = request.path_params["token"]
    link = s.project.link(token) if 20 <= len(token) <= 100 else None
    where = request.client.host if request.client else ""
    if link is None:
        s.project.log_event("inconnu", WebEvent.LINK_REFUSED, detail=where)
        return message_page(request, W.LINK_UNKNOWN, 404)
    if not link.usable():
        s.project.log_event(f"societe:{link.company_id}", WebEvent.LINK_REFUSED, None, link.company_id, where)
        return message_page(request, W.LINK_REVOKED_PAGE if link.revoked else W.LINK_EXPIRED, 403)
    campaign = s.campaign if link.campaign_id == s.campaign.identifiant else s.project.campaign(link.campaign_id)
    if link.company_id not in campaign.company_ids:
        return message_page(request, W.LINK_UNKNOWN, 404)
    return campaign, link.company_id


def _page(request: Request, campaign: Campaign, company: str, verdict=None, status_code: int = 200) -> Response:
    s = site(request)
    template = campaign.templates_dir(s.project.root) / campaign.template_name(company)
    review = s.project.reviews(campaign, company).get(company)
    files = s.project.received(campaign, company)
    return render(request, "company.html", status_code=status_code, company=company,
                  name=campaign.raison_sociale(company), camp=campaign, has_template=template.is_file(),
                  review=review, files=files, verdict=verdict,
                  waiting=s.project.waiting_upload(campaign, company) is not None,
                  token=request.path_params["token"], max_size=s.max_upload)


async def home(request: Request) -> Response:
    opened = _opened(request)
    if isinstance(opened, Response):
        return opened
    return await run_in_threadpool(_page, request, *opened)


async def upload(request: Request) -> Response:
    opened = _opened(request)
    if isinstance(opened, Response):
        return opened
    campaign, company = opened
    s = site(request)
    try:
        form = await checked_form(request, max_files=1)
        files = await uploads(form, "fichier", s.max_upload)
        if not files:
            raise FormRefused(W.NO_FILE, 400)
    except FormRefused as refused:
        return message_page(request, refused.text, refused.status_code, back=_home(request))
    filename, data = files[0]
    # Reading and checking take the CPU for a moment: in a worker thread, so that other visitors are served; one
    # check at a time per process, in the order they came (threads sharing one interpreter would all finish late).
    verdict = await anyio.to_thread.run_sync(s.project.self_check, campaign, company, data, filename,
                                             limiter=_checks(request))
    return await run_in_threadpool(_page, request, campaign, company, verdict, 200 if verdict.accepted else 422)


def _home(request: Request) -> str:
    return f"/societe/{request.path_params['token']}"


async def back_home(request: Request) -> RedirectResponse:
    """The address of an upload's result, opened again (a bookmark, a reload): the company's page."""
    return redirect(request, _home(request))


async def template(request: Request) -> Response:
    opened = _opened(request)
    if isinstance(opened, Response):
        return opened
    campaign, company = opened
    path = campaign.templates_dir(site(request).project.root) / campaign.template_name(company)
    if not path.is_file():
        return message_page(request, W.FILE_NOT_READY, 404)
    return FileResponse(path, media_type=XLSX, filename=path.name)


ROUTES = [
    Route("/societe/{token:str}", home),
    Route("/societe/{token:str}/depot", upload, methods=["POST"]),
    Route("/societe/{token:str}/depot", back_home, methods=["GET"]),
    Route("/societe/{token:str}/modele", template),
]
