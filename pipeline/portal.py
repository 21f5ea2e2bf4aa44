"""The web front's part of the library (:class:`Portal`, a part of :class:`pipeline.api.Project`): the
secretary's accounts, each company's private link, a company's self-check and submission, files received by
e-mail, the review states, and where the campaign stands, read from the history.

A company's upload goes through the very reader and checks of ``controler`` (:func:`check_entries`, with the
N−1 comparison); an accepted one is its submission: under the campaign's lock it becomes the company's file in
``inputs/<campagne>/`` (the company's earlier files there are moved aside) and is recorded in the history with
its arrival time, as ``controler`` would record it. Files go where the tool decides, under names it makes:
nothing a visitor sends becomes part of a path.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import filecmp
import json
import os
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .check.identity import NAMED
from .check.inputs import check_entries
from .check.yoy_shares import compared
from .compute.status import campaign_status
from .core.campaign import Campaign, slug
from .core.correspondences import following
from .core.texts import fr
from .core.texts import web as W
from .core.texts.messages import render, rendered
from .core.vocab import ReviewState, Severity, Status, WebEvent
from .read.folder import Entry
from .store import held, history
from .store import web as store
from .write.mail import write_send_out
from .write.private import aside_path, private_dir, safe_name, write_private

WEB_DIR = "web"            # outputs/<campagne>/web/: uploads being checked, waiting, or moved aside
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".ods", ".xls")
LINK_DAYS_AFTER_DEADLINE = 60
LINKS_FILE = "liens_prives.txt"  # outputs/<campaign>/: the private links, owner-only
MAX_FAILED_LOGINS, LOGIN_PAUSE = 10, 15  # refusals, minutes
REFUSAL_PREVIEW = 2        # problems of a refused upload the dashboard shows


@dataclass(frozen=True)
class Problem:
    gravite: str
    feuille: str
    cellule: str
    message: str
    attendu: str
    action: str


@dataclass(frozen=True)
class Verdict:
    """What a company's upload became."""

    statut: str                       # a Status value
    problems: list[Problem]
    outcome: str                      # the sentence the company reads first
    submitted: bool = False           # recorded as its submission
    waiting: bool = False             # accepted but the company's figures are validated (locked)

    @property
    def accepted(self) -> bool:
        return self.submitted or self.waiting


@dataclass(frozen=True)
class Refusal:
    """A company's last upload through its page, refused after its last accepted submission (or with none)."""

    at: str
    text: str                         # « dépôt en ligne refusé le 27/11/2026 à 14:05 : 2 erreurs »
    short: str                        # « dépôt en ligne refusé le 27/11/2026 à 14:05 », where room is short
    problems: list[Problem]           # what the company read, cell by cell

    @property
    def first(self) -> list[Problem]:
        """The problems a summary shows: errors first."""
        return sorted(self.problems, key=lambda p: p.gravite != Severity.ERROR)[:REFUSAL_PREVIEW]


@dataclass(frozen=True)
class Standing:
    """Where the campaign stands, from the history (nothing re-read)."""

    status: pd.DataFrame                              # models.Suivi
    reviews: dict[str, store.Review]
    problems: dict[str, list[Problem]] = field(default_factory=dict)  # company -> its last file's problems
    waiting: set[str] = field(default_factory=set)    # companies with an upload waiting for a reopening
    refusals: dict[str, Refusal] = field(default_factory=dict)  # company -> its upload refused since it submitted

    @property
    def validated(self) -> set[str]:
        """Companies whose kept figures the secretary validated (the others' are provisional)."""
        return {c for c, r in self.reviews.items() if r.state == ReviewState.VALIDATED}


def _problems(messages) -> list[Problem]:
    """Problems from a Messages frame, or from the JSON list the history keeps."""
    if isinstance(messages, str):
        return [Problem(m["gravite"], m["feuille"], m["cellule"],
                        *render(m["code"], m.get("params") or {}, feuille=m["feuille"], cellule=m["cellule"],
                                cle=m["cle"])) for m in json.loads(messages or "[]")]
    r = rendered(messages)
    return [Problem(m.gravite, m.feuille, m.cellule, m.message, m.attendu, m.action) for m in r.itertuples()]


def _refusal(campaign: Campaign, upload: store.Upload) -> Refusal:
    at, problems, other = dt.datetime.fromisoformat(upload.at), _problems(upload.messages), upload.other_company
    if other:
        text = fr(W.WEB_REFUSED_OTHER, date=at, heure=f"{at:%H:%M}",
                  autre=campaign.raison_sociale(other) if other in campaign.company_ids else other)
    else:
        text = fr(W.WEB_REFUSED, date=at, heure=f"{at:%H:%M}", n=sum(p.gravite == Severity.ERROR for p in problems))
    return Refusal(upload.at, text, fr(W.WEB_REFUSED_SHORT, date=at, heure=f"{at:%H:%M}"), problems)


class Portal:
    """The web front's methods of a project (``self``: a :class:`pipeline.api.Project`)."""

    def _history(self):
        """The history, closed when the block ends."""
        return contextlib.closing(self._connect())

    # -- accounts and links --------------------------------------------------------------------------

    def set_password(self, name: str, password: str) -> None:
        with self._history() as conn:
            store.set_password(conn, name, password)

    def has_accounts(self) -> bool:
        with self._history() as conn:
            return store.has_users(conn)

    def login(self, name: str, password: str, where: str = "") -> str | None:
        """A session's cookie value, or None; logged either way. After :data:`MAX_FAILED_LOGINS` refusals in
        :data:`LOGIN_PAUSE` minutes, an account is refused (even the right password) until they are older."""
        with self._history() as conn:
            if store.recent(conn, name[:80], WebEvent.LOGIN_REFUSED, LOGIN_PAUSE) >= MAX_FAILED_LOGINS \
                    or not store.check_login(conn, name, password):
                store.log(conn, name[:80], WebEvent.LOGIN_REFUSED, detail=where)
                return None
            store.log(conn, name, WebEvent.LOGIN, detail=where)
            return store.open_session(conn, name)

    def session_user(self, value: str) -> str | None:
        with self._history() as conn:
            return store.session_user(conn, value)

    def logout(self, value: str) -> None:
        with self._history() as conn:
            user = store.session_user(conn, value)
            store.close_session(conn, value)
            if user:
                store.log(conn, user, WebEvent.LOGOUT)

    def link_expiry(self, campaign: Campaign) -> dt.datetime:
        return dt.datetime.combine(campaign.date_limite + dt.timedelta(days=LINK_DAYS_AFTER_DEADLINE), dt.time.max)\
            .replace(microsecond=0)

    def make_links(self, campaign: Campaign, expires: dt.datetime | None = None,
                   companies: list[str] | None = None) -> dict[str, str]:
        """A new private link token per company (replacing its earlier ones): company -> token."""
        expires = expires or self.link_expiry(campaign)
        with self._history() as conn:
            return {c: store.new_link(conn, campaign.identifiant, c, expires)
                    for c in (companies or list(campaign.societes["identifiant"]))}

    def links_file(self, campaign: Campaign) -> Path:
        return campaign.outputs_dir(self.root) / LINKS_FILE

    def write_links_file(self, campaign: Campaign, urls: dict[str, str]) -> Path:
        """The private links, one line per company (identifier, name, address), readable by their owner only."""
        path = self.links_file(campaign)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            for company, url in urls.items():
                f.write(f"{company}\t{campaign.raison_sociale(company)}\t{url}\n")
        os.chmod(path, 0o600)
        return path

    def saved_links(self, campaign: Campaign) -> dict[str, str]:
        """The private links written by ``liens`` that still open their company's page (not revoked, not
        expired, not replaced): company -> address. Templates written again keep them in their e-mails."""
        path = self.links_file(campaign)
        if not path.is_file():
            return {}
        out = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            company, _, url = (line.split("\t") + ["", ""])[:3]
            link = self.link(url.rstrip("/").rsplit("/", 1)[-1])
            if link is not None and link.usable() and (link.campaign_id, link.company_id) == (campaign.identifiant,
                                                                                              company):
                out[company] = url
        return out

    def send_out_with_links(self, campaign: Campaign, urls: dict[str, str]) -> Path | None:
        """The send-out e-mails written again with each company's private link (readable by their owner only,
        since they hold the links); None when the templates are not written yet."""
        templates = {c: campaign.templates_dir(self.root) / campaign.template_name(c) for c in campaign.company_ids}
        if not all(p.is_file() for p in templates.values()):
            return None
        with self._history() as conn:
            previous, campaign = self.previous(conn, campaign), following(campaign, self.root)  # the mail says so
        folder = campaign.outputs_dir(self.root) / "courriels" / "envoi"
        drafts = write_send_out(campaign, templates, folder, previous.campaign.identifiant if previous else None, urls)
        for draft in drafts:
            for path in (draft, draft.with_suffix(".txt")):
                if path.is_file():
                    path.chmod(0o600)
        return folder

    def revoke_links(self, campaign: Campaign, company: str) -> int:
        """Revoke a company's links; the links file then lists only the links that still open a page."""
        with self._history() as conn:
            revoked = store.revoke_links(conn, campaign.identifiant, company)
        if self.links_file(campaign).is_file():
            self.write_links_file(campaign, self.saved_links(campaign))
        return revoked

    def link(self, token: str) -> store.Link | None:
        with self._history() as conn:
            return store.link_of(conn, token)

    def log_event(self, who: str, kind: str, campaign: Campaign | None = None, company: str | None = None,
                  detail: str = "") -> None:
        with self._history() as conn:
            store.log(conn, who, kind, campaign.identifiant if campaign else None, company, detail)

    def web_events(self, limit: int = 200):
        with self._history() as conn:
            return store.events(conn, limit)

    # -- a company's upload --------------------------------------------------------------------------

    def _web_dir(self, campaign: Campaign, *parts: str) -> Path:
        path = campaign.outputs_dir(self.root) / WEB_DIR
        private_dir(path)
        for part in parts:
            path = private_dir(path / part)
        return path

    def self_check(self, campaign: Campaign, company: str, data: bytes, filename: str,
                   now: dt.datetime | None = None) -> Verdict:
        """Check a company's upload as ``controler`` would; an accepted one is its submission (or waits, when
        its figures are validated)."""
        suffix = Path(safe_name(filename)).suffix  # the checks say what a .csv or a .txt is; only workbooks go on
        name = Path(campaign.template_name(company)).with_suffix(suffix).name
        staged = write_private(self._web_dir(campaign, "depots") / f"{slug(company)}-{secrets.token_hex(8)}{suffix}",
                               data)
        moment = (now or dt.datetime.now()).replace(microsecond=0)
        try:
            checked = check_entries(campaign, [Entry(name, staged, "file", len(data), time.time())])
            with self._history() as conn:
                previous = self.previous(conn, campaign, branch=False)
            checked = compared(checked, previous.campaign, previous.figures) if previous is not None else checked
            row = checked.fichiers.iloc[0]
            messages = checked.messages[checked.messages["code"] != NAMED]  # the page says whose it is, not its name
            problems = _problems(messages)
            if row.societe in campaign.company_ids and row.societe != company:
                self._uploaded(campaign, company, WebEvent.UPLOAD, Status.REJECTED, moment, other=row.societe)
                return Verdict(str(Status.REJECTED), [],
                               fr(W.OTHER_COMPANY, autre=campaign.raison_sociale(row.societe)))
            if not Status(row.statut).accepted:
                self._uploaded(campaign, company, WebEvent.UPLOAD, row.statut, moment, messages)
                return Verdict(row.statut, problems, W.REJECTED)
            review = self.reviews(campaign, company).get(company)
            if review is not None and review.state == ReviewState.VALIDATED:
                waiting = self._web_dir(campaign, "en_attente")
                for old in waiting.glob(f"{slug(company)}.*"):
                    old.unlink()
                os.replace(staged, waiting / f"{slug(company)}{suffix}")
                self._uploaded(campaign, company, WebEvent.UPLOAD_WAITING, row.statut, moment)
                return Verdict(row.statut, problems, W.LOCKED_WAITING, waiting=True)
            recorded = self._submit(campaign, company, staged, name, checked, moment)
            self._uploaded(campaign, company, WebEvent.UPLOAD, row.statut, moment)
            text = W.SUBMITTED_RESTORED if recorded.restored else W.SUBMITTED_SAME
            return Verdict(row.statut, problems, fr(W.SUBMITTED, date=moment) if recorded.new else text, submitted=True)
        finally:
            staged.unlink(missing_ok=True)

    def _uploaded(self, campaign: Campaign, company: str, kind: str, status: str, moment: dt.datetime,
                  messages: pd.DataFrame | None = None, other: str | None = None) -> None:
        """Log a company's upload and record what it became: refused when ``messages`` (its checks') or ``other``
        (whose template it was) are given."""
        refused = messages is not None or other is not None
        with self._history() as conn:
            store.log(conn, f"societe:{company}", kind, campaign.identifiant, company,
                      fr(W.LOG_OTHER_COMPANY, statut=status, autre=campaign.raison_sociale(other)) if other
                      else str(status))
            store.record_upload(conn, campaign.identifiant, company, str(status), refused, messages, other,
                                moment.isoformat())

    def _submit(self, campaign: Campaign, company: str, staged: Path, name: str, checked, moment: dt.datetime):
        """Make an accepted upload the company's file in the inputs folder and record it, under the lock."""
        with self._campaign_lock(campaign):
            inputs = campaign.inputs_dir(self.root)
            inputs.mkdir(parents=True, exist_ok=True)
            with self._history() as conn:
                own = history.file_names(conn, campaign.identifiant, company) | {campaign.template_name(company)} | {
                    Path(campaign.template_name(company)).with_suffix(s).name for s in WORKBOOK_SUFFIXES}
                aside = None
                for old in sorted(own):
                    # the company's earlier files moved aside, the one of this very name too unless it is this file
                    if (inputs / old).is_file() and not (old == name and filecmp.cmp(inputs / old, staged, False)):
                        aside = aside or self._web_dir(campaign, "remplaces")
                        os.replace(inputs / old, aside_path(aside, moment, old))
                os.replace(staged, inputs / name)
                os.chmod(inputs / name, 0o600)
                return history.record(conn, checked, moment.isoformat())

    def waiting_upload(self, campaign: Campaign, company: str) -> Path | None:
        found = sorted((campaign.outputs_dir(self.root) / WEB_DIR / "en_attente").glob(f"{slug(company)}.*"))
        return found[0] if found else None

    # -- the secretary's ------------------------------------------------------------------------------

    def receive(self, campaign: Campaign, files: list[tuple[str, bytes]], who: str) -> list[str]:
        """Files received by e-mail, saved into the inputs folder under safe names (never replacing a file);
        returns the names given. :meth:`check` then reads them."""
        names = []
        with self._campaign_lock(campaign):
            inputs = campaign.inputs_dir(self.root)
            inputs.mkdir(parents=True, exist_ok=True)
            for raw, data in files:
                name = safe_name(raw)
                stem, suffix = Path(name).stem, Path(name).suffix
                n = 1
                while True:
                    try:
                        write_private(inputs / name, data)
                        break
                    except FileExistsError:
                        n += 1
                        name = f"{stem}-{n}{suffix}"
                names.append(name)
                self.log_event(who, WebEvent.RECEIVED, campaign, None, name)
        return names

    def reviews(self, campaign: Campaign, company: str | None = None) -> dict[str, store.Review]:
        with self._history() as conn:
            return store.reviews(conn, campaign.identifiant, company)

    def review_history(self, campaign: Campaign, company: str) -> list[store.Review]:
        with self._history() as conn:
            return store.review_history(conn, campaign.identifiant, company)

    def review(self, campaign: Campaign, company: str, state: ReviewState, who: str, comment: str = "",
               now: dt.datetime | None = None) -> bool:
        """Validate (lock) a company's accepted submission, send it back with a comment, or reopen it; a
        reopening submits the upload that waited. False when there is no accepted submission to validate."""
        with self._history() as conn:
            sid = store.kept_submissions(conn, campaign.identifiant, company).get(company)
            if state in (ReviewState.VALIDATED, ReviewState.SENT_BACK) and sid is None:
                return False
            store.set_review(conn, campaign.identifiant, company, state, who, sid, comment)
            store.log(conn, who, WebEvent.REVIEW, campaign.identifiant, company,
                      fr(W.LOG_REVIEW, etat=state, commentaire=comment) if comment else str(state))
        waiting = self.waiting_upload(campaign, company)
        if state != ReviewState.VALIDATED and waiting is not None:
            data = waiting.read_bytes()
            waiting.unlink()
            self.self_check(campaign, company, data, waiting.name, now)
        return True

    def standing(self, campaign: Campaign, today: dt.date | None = None) -> Standing:
        with self._history() as conn:
            subs = history.submissions(conn, campaign.identifiant)
            latest = history.latest_accepted(conn, campaign.identifiant)
            reviews = store.reviews(conn, campaign.identifiant)
            uploads = store.last_uploads(conn, campaign.identifiant)
            pending = held.last_held(conn, campaign.identifiant)  # as the last check of the folder found them
        table = campaign_status(campaign, subs, latest, today, pending)
        last = subs[subs["societe"].notna()].groupby("societe").tail(1)
        problems = {r.societe: _problems(r.messages) for r in last.itertuples(index=False)}
        waiting = {c for c in campaign.company_ids if self.waiting_upload(campaign, c) is not None}
        kept = dict(zip(latest["societe"], latest["arrivee"]))  # when each kept submission last arrived
        refusals = {c: _refusal(campaign, u) for c, u in uploads.items()
                    if u.refused and c in campaign.company_ids and kept.get(c, 0) <= u.last_arrival}
        return Standing(table, reviews, problems, waiting, refusals)

    def received(self, campaign: Campaign, company: str | None = None) -> list[dict]:
        """Every recorded submission (of one company), newest first, with its problems."""
        with self._history() as conn:
            rows = history.submission_rows(conn, campaign.identifiant, company)
        return [{"id": s["id"], "societe": s["societe"] or "", "fichier": s["fichier"], "recu_le": s["recu_le"],
                 "statut": s["statut"], "problems": _problems(s["messages"])} for s in reversed(rows)]

    def latest_comments(self, campaign: Campaign) -> pd.DataFrame:
        with self._history() as conn:
            return history.accepted(conn, campaign).commentaires
