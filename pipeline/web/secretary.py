"""The secretary's pages, behind the login: the dashboard, the files received and their control reports, the
upload of files received by e-mail, the review of each company, the downloads, the comments and the log."""

from __future__ import annotations

import datetime as dt
import functools

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from ..api import CONSOLIDATION, CONTROL_REPORT, DIFFUSION, REMINDERS, STATUS_REPORT
from ..compute.status import by_urgency, state_counts
from ..core.errors import UserError
from ..core.texts import fr
from ..core.texts import labels as L
from ..core.texts import web as W
from ..core.vocab import ReviewState, Status
from ..write.console import tasks_lines
from .common import (MAX_FILES, SESSION_COOKIE, FormRefused, checked_form, href, message_page, redirect, render,
                     site, uploads)

# What can be downloaded: a fixed name per key, never a path from the request.
DOWNLOADS = {"consolidation": CONSOLIDATION, "diffusion": DIFFUSION, "suivi": STATUS_REPORT,
             "controle": CONTROL_REPORT, "relances": REMINDERS}
DONE = {"controle": W.CHECKED, "consolidation": W.CONSOLIDATED, "vide": W.CONSOLIDATION_EMPTY,
        "suivi": W.STATUS_WRITTEN, "sortie": W.LOGGED_OUT}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _user(request: Request) -> str | None:
    return site(request).project.session_user(request.cookies.get(SESSION_COOKIE, ""))


def logged_in(handler):
    """The page for a logged-in secretary; the login page otherwise. The user is ``request.state.user``."""

    @functools.wraps(handler)
    async def wrapper(request: Request) -> Response:
        user = _user(request)
        if user is None:
            return redirect(request, "/connexion")
        request.state.user = user
        try:
            return await handler(request)
        except FormRefused as refused:
            return message_page(request, refused.text, refused.status_code)
        except UserError as err:
            return message_page(request, str(err), 409)

    return wrapper


async def login(request: Request) -> Response:
    if request.method == "GET":
        return render(request, "login.html", error="", name="", no_account=not site(request).project.has_accounts())
    try:
        form = await checked_form(request)
    except FormRefused as refused:
        return message_page(request, refused.text, refused.status_code)
    name, password = str(form.get("nom", ""))[:80], str(form.get("mot_de_passe", ""))[:1000]
    where = request.client.host if request.client else ""
    value = site(request).project.login(name, password, where)
    if value is None:
        return render(request, "login.html", status_code=401, error=W.LOGIN_FAILED, name=name, no_account=False)
    response = redirect(request, "/secretariat")
    response.set_cookie(SESSION_COOKIE, value, httponly=True, samesite="lax", secure=site(request).secure,
                        path=href(request, "/") or "/")
    return response


@logged_in
async def logout(request: Request) -> Response:
    await checked_form(request)
    site(request).project.logout(request.cookies.get(SESSION_COOKIE, ""))
    response = redirect(request, "/connexion")
    response.delete_cookie(SESSION_COOKIE, path=href(request, "/") or "/")
    return response


@logged_in
async def dashboard(request: Request) -> Response:
    s = site(request)
    standing = s.project.standing(s.campaign)
    out = s.campaign.outputs_dir(s.project.root)
    # each workbook's production, shown beside its link (a file made before the latest returns is not their state)
    ready = {k: dt.datetime.fromtimestamp((out / v).stat().st_mtime).replace(microsecond=0).isoformat()
             if (out / v).is_file() else "" for k, v in DOWNLOADS.items()}
    done = DONE.get(request.query_params.get("fait", ""), "")
    tasks = request.query_params.get("a_regler", "")
    if done and tasks.isdecimal() and 0 < int(tasks) < 100_000:  # what the action just run left to the secretary
        done += " " + fr(W.TASKS_WAITING, n=int(tasks), feuille=L.CONTROL_SHEET_TASKS)
    summary = {fr(W.COUNT_WORDS[k], n=n): n for k, n in state_counts(standing.status).items()}
    summary[W.COUNT_WEB_REFUSED] = len(standing.refusals)
    return render(request, "dashboard.html", user=request.state.user, standing=standing,
                  rows=by_urgency(standing.status).to_dict(orient="records"), counts=summary, ready=ready, done=done)


@logged_in
async def action(request: Request) -> Response:
    await checked_form(request)
    s = site(request)
    which = request.path_params["action"]
    if which == "controler":
        run = await run_in_threadpool(s.project.check, s.campaign)
        return redirect(request, f"/secretariat?fait=controle&a_regler={len(run.tasks)}")
    if which == "consolider":
        run = await run_in_threadpool(s.project.consolidate, s.campaign)
        done = "consolidation" if run.consolidation else "vide"
        return redirect(request, f"/secretariat?fait={done}&a_regler={len(run.tasks)}")
    if which == "suivi":
        await run_in_threadpool(s.project.status, s.campaign)
        return redirect(request, "/secretariat?fait=suivi")
    return message_page(request, W.NOT_FOUND, 404)


@logged_in
async def received(request: Request) -> Response:
    s = site(request)
    if request.method == "POST":
        form = await checked_form(request, max_files=MAX_FILES)
        files = await uploads(form, "fichiers", s.max_upload)
        if not files:
            raise FormRefused(W.NO_FILE, 400)
        names = await run_in_threadpool(s.project.receive, s.campaign, files, request.state.user)
        run = await run_in_threadpool(s.project.check, s.campaign)
        done = fr(W.RECEIVED, n=len(names), noms=", ".join(names))
        tasks = tasks_lines(run.checked, run.tasks, run.accepted.retenues)
    else:
        done, tasks = "", []
    return render(request, "received.html", user=request.state.user, files=s.project.received(s.campaign),
                  done=done, tasks=tasks, max_files=MAX_FILES)


@logged_in
async def company_page(request: Request) -> Response:
    s = site(request)
    company = request.path_params["company"]
    if company not in s.campaign.company_ids:
        return message_page(request, W.NOT_FOUND, 404)
    done, refused = "", False
    if request.method == "POST":
        form = await checked_form(request)
        state, comment = str(form.get("etat", "")), str(form.get("commentaire", "")).strip()[:2000]
        if state not in {str(v) for v in ReviewState}:
            return message_page(request, W.NOT_FOUND, 400)
        name = s.campaign.raison_sociale(company)
        if state == ReviewState.SENT_BACK and not comment:
            done, refused = W.REVIEW_NEEDS_COMMENT, True
        elif not s.project.review(s.campaign, company, ReviewState(state), request.state.user, comment):
            done = fr(W.REVIEW_NEEDS_SENT if state == ReviewState.SENT_BACK else W.REVIEW_NEEDS_ACCEPTED, societe=name)
            refused = True
        else:
            done = fr(W.REVIEW_DONE, societe=name, etat=W.REVIEW_LABELS[state])
    standing = s.project.standing(s.campaign)
    row = standing.status.set_index("identifiant").loc[company].to_dict()
    return render(request, "company_admin.html", user=request.state.user, company=company, row=row,
                  review=standing.reviews.get(company), reviews=s.project.review_history(s.campaign, company),
                  files=s.project.received(s.campaign, company), waiting=company in standing.waiting, done=done,
                  refused=refused,
                  refusal=standing.refusals.get(company),
                  accepted=row["statut"] in {str(Status.ACCEPTED), str(Status.WARNED)} or bool(row["soumission_retenue"]))


@logged_in
async def comments(request: Request) -> Response:
    s = site(request)
    rows = s.project.latest_comments(s.campaign).to_dict(orient="records")
    return render(request, "comments.html", user=request.state.user, rows=rows, names=s.campaign.names)


@logged_in
async def journal(request: Request) -> Response:
    return render(request, "journal.html", user=request.state.user, events=site(request).project.web_events())


@logged_in
async def download(request: Request) -> Response:
    s = site(request)
    name = DOWNLOADS.get(request.path_params["what"])
    if name is None:
        return message_page(request, W.NOT_FOUND, 404)
    path = s.campaign.outputs_dir(s.project.root) / name
    if not path.is_file():
        return message_page(request, W.FILE_NOT_READY, 404)
    media = XLSX if name.endswith(".xlsx") else "text/plain; charset=utf-8"
    return FileResponse(path, media_type=media, filename=f"{s.campaign.dossier}_{name}")


ROUTES = [
    Route("/connexion", login, methods=["GET", "POST"]),
    Route("/deconnexion", logout, methods=["POST"]),
    Route("/secretariat", dashboard),
    Route("/secretariat/action/{action:str}", action, methods=["POST"]),
    Route("/secretariat/fichiers", received, methods=["GET", "POST"]),
    Route("/secretariat/societe/{company:str}", company_page, methods=["GET", "POST"]),
    Route("/secretariat/commentaires", comments),
    Route("/secretariat/journal", journal),
    Route("/secretariat/telecharger/{what:str}", download),
]
