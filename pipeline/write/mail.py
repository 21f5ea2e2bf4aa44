"""Ready-to-send e-mails: a draft (.eml) per company, with its workbook attached, and the plain text.

A draft is a standard MIME message (RFC 5322, UTF-8) marked ``X-Unsent: 1``: Outlook opens it as a
new message ready to send; Thunderbird opens it and sends it with "Modifier en tant que nouveau
message". Nothing is ever sent by the tool.
"""

from __future__ import annotations

import contextlib
import mimetypes
import os
import tempfile
from email.headerregistry import Address, HeaderRegistry
from email.message import EmailMessage
from email.policy import SMTP as _SMTP
from pathlib import Path

from ..core.campaign import Campaign
from ..core.parallel import parallel_map
from ..core.texts import fr
from ..core.texts.mails import NO_ADDRESS, TO_LINE, Mail, send_mail
from .guide import changes


class _Headers(HeaderRegistry):
    """The standard header classes, each made once (the standard registry makes a new class for every header of
    every message: an eighth of the time of writing a draft)."""

    def __init__(self):
        super().__init__()
        self._made: dict[str, type] = {}

    def __getitem__(self, name):
        key = name.lower()
        if key not in self._made:
            self._made[key] = super().__getitem__(name)
        return self._made[key]


SMTP = _SMTP.clone(header_factory=_Headers())
XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _address(name: str, email: str) -> Address | str:
    if "@" not in email:
        return ""
    user, _, domain = email.rpartition("@")
    return Address(display_name=name, username=user, domain=domain)


def draft(campaign: Campaign, mail: Mail, to: list[tuple[str, str]], attachments: list[Path]) -> EmailMessage:
    """The e-mail from the campaign's contact to ``to`` ((name, address) pairs; those without an address
    are left out), with ``attachments``."""
    message = EmailMessage(policy=SMTP)
    sender = _address(campaign.contact.get("nom", ""), campaign.contact.get("email", ""))
    if sender:
        message["From"] = sender
    recipients = [a for a in (_address(n, e) for n, e in to) if a]
    if recipients:
        message["To"] = recipients
    message["Subject"] = mail.subject
    message["X-Unsent"] = "1"
    message.set_content(mail.body)
    for path in attachments:
        kind = XLSX if path.suffix.lower() == ".xlsx" else \
            tuple((mimetypes.guess_type(path.name)[0] or "application/octet-stream").split("/", 1))
        message.add_attachment(path.read_bytes(), maintype=kind[0], subtype=kind[1], filename=path.name)
    return message


def write_draft(path: str | Path, message: EmailMessage) -> Path:
    """Write the draft atomically (a half-written .eml is never left behind)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp.eml", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(message.as_bytes())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return path


def write_mail(folder: Path, stem: str, campaign: Campaign, mail: Mail, to: list[tuple[str, str]],
               attachments: list[Path]) -> Path:
    """``<stem>.eml`` (the draft) and ``<stem>.txt`` (its plain text) in ``folder``; returns the draft."""
    path = write_draft(folder / f"{stem}.eml", draft(campaign, mail, to, attachments))
    addresses = "; ".join(e for _, e in to if "@" in e) or NO_ADDRESS
    (folder / f"{stem}.txt").write_text(fr(TO_LINE, adresses=addresses) + "\n" + mail.text, encoding="utf-8")
    return path


def write_send_out(campaign: Campaign, templates: dict[str, Path], folder: Path, previous: str | None,
                   links: dict[str, str] | None = None) -> list[Path]:
    """The e-mail sending each company its template (``templates``: company -> its template), in ``folder``;
    ``links``: company -> the address of its private page (web front), written in its e-mail."""
    links = links or {}
    for path in folder.glob("*.eml") if folder.is_dir() else []:
        if path.stem not in templates:  # a company no longer in the campaign
            path.unlink(missing_ok=True)
            path.with_suffix(".txt").unlink(missing_ok=True)

    changed = bool(changes(campaign))  # the guide lists them: the e-mail says so

    def write(soc: tuple[str, str, str, str]) -> Path:
        company, name, contact, email = soc
        return write_mail(folder, company, campaign, send_mail(campaign, name, previous, links.get(company), changed),
                          [(contact, email)], [templates[company]])

    # Across the cores: the drafts of 1,000 companies take about 5 s of CPU (items sent to the workers as tuples)
    societes = campaign.societes[["identifiant", "raison_sociale", "contact", "email"]]
    return parallel_map(write, societes.itertuples(index=False, name=None))
