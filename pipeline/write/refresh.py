"""``modeles``: a campaign's templates brought up to date, saying what changed.

Entry point: :func:`write_templates`. Each company's template is written anew beside the old one and the
two compared by content — every part of the workbook but ``docProps/core.xml``, which holds only the
document's dates and a copy of its title (zip entries carry dates too, and a workbook saved again by
another program has new ones: the parts' bytes are what counts). An identical template is left as it
was, its file date saying when it was really made; a new or changed one takes its place, with what
changed read from the custom properties each template carries (:data:`FIELDS`).

The templates of companies no longer in the campaign file — removed, or listed under another identifier
— are moved into ``anciens/``: they may have been sent already and a return of one would be refused, so
they are kept for reference, but out of the folder of files to send.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..core import form
from ..core.campaign import Campaign
from ..core.layout import build_layout
from ..core.parallel import parallel_map
from ..read.xlsx import read_workbook
from .stamp import Stamper
from .template import content_properties, write_template
from .xlsx import OutputBusy, remove_stale_temporaries

RETIRED_DIR = "anciens"
VOLATILE_PARTS = {"docProps/core.xml"}
# What a template is made from, as its custom properties say it: a difference is a reason it changed.
FIELDS = (form.PROP_NAME, form.PROP_CAMPAIGN_TITLE, form.PROP_REFERENCE_DATE, form.PROP_DEADLINE,
          form.PROP_CONTACT, form.PROP_NOMENCLATURE, form.PROP_PREVIOUS, form.PROP_FORMAT)
PROP_PREFIX = "effectifs_"  # a property's name without it: its reason's key in the catalogue
NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"


@dataclass(frozen=True)
class Written:
    """One company's template: ``state`` new, changed or unchanged; ``reasons``: the properties that
    differ from the previous template (:data:`FIELDS`; empty when only its layout changed);
    ``before``: the previous template's properties."""

    company: str
    path: Path
    state: str
    reasons: tuple[str, ...] = ()
    before: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Retired:
    """The template of a company no longer in the campaign, moved into ``anciens/``. ``renamed_to``: the
    company of the campaign with the same raison sociale (its identifier changed), if any."""

    company: str
    name: str
    path: Path
    renamed_to: str = ""


def content_digest(path: Path) -> str | None:
    """A digest of what a workbook holds, whatever the dates of its zip entries and document; None when
    it is not a readable workbook."""
    try:
        with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as zf:
            digest = hashlib.sha256()
            for name in sorted(zf.namelist()):
                if name not in VOLATILE_PARTS:
                    digest.update(name.encode() + b"\0" + zf.read(name) + b"\0")
            return digest.hexdigest()
    except (OSError, zipfile.BadZipFile, KeyError, ValueError):
        return None


def _same_bytes(old: Path, new: Path) -> bool:
    """The same file: a template this tool wrote from the same campaign (its dates are fixed), compared without
    unzipping every part."""
    try:
        return old.stat().st_size == new.stat().st_size and old.read_bytes() == new.read_bytes()
    except OSError:
        return False


def _properties(path: Path) -> dict[str, str]:
    """A workbook's custom properties, as text; the company's name from docProps/app.xml when a template
    written before the name was a property lacks it."""
    props = {k: str(v) for k, v in read_workbook(path).properties.items()}
    if form.PROP_NAME not in props:
        with contextlib.suppress(OSError, zipfile.BadZipFile, KeyError):
            with zipfile.ZipFile(path) as zf:
                found = re.search(rb"<Company>([^<]*)</Company>", zf.read("docProps/app.xml"))
            if found:
                props[form.PROP_NAME] = found.group(1).decode("utf-8", "replace").replace("&amp;", "&")
    return props


def refresh_template(campaign: Campaign, company: str, path: Path, previous: dict[int, float] | None,
                     stamper: Stamper | None = None) -> Written:
    """Write one company's template, unless the one in place already holds the same."""
    fresh = path.with_name(f".{path.stem}.nouveau.tmp.xlsx")  # removed by remove_stale_temporaries if left
    if stamper is None:
        write_template(campaign, company, fresh, previous=previous)
    else:
        stamper.write(company, fresh, previous)
    if not path.exists():
        state, reasons, before = NEW, (), {}
    elif _same_bytes(path, fresh) or content_digest(path) == content_digest(fresh):
        fresh.unlink()
        return Written(company, path, UNCHANGED)
    else:
        before = _properties(path)
        now = content_properties(campaign, company, previous)
        reasons = tuple(k for k in FIELDS if k in before and before[k] != now[k])
        if before.get(form.PROP_INPUTS, "") != now.get(form.PROP_INPUTS, ""):  # breakdowns or ETP asked, or no more
            reasons += (form.PROP_INPUTS,)
        state = CHANGED
    try:
        os.replace(fresh, path)
    except PermissionError:  # Windows: the previous template is open in Excel
        fresh.unlink()
        raise OutputBusy([path]) from None
    return Written(company, path, state, reasons, before)


def retire_stale(campaign: Campaign, root: str | Path = ".") -> list[Retired]:
    """Move into ``anciens/`` the templates of this campaign written for companies it no longer lists.
    Any other file of the folder is left where it is."""
    folder = campaign.templates_dir(Path(root))
    if not folder.is_dir():
        return []
    by_name = {name: ident for ident, name in campaign.names.items()}
    retired = []
    for path in sorted(folder.glob("*.xlsx")):
        if path.name.startswith(".") or not path.is_file():
            continue
        props = _properties(path)
        company = props.get(form.PROP_COMPANY, "")
        if props.get(form.PROP_CAMPAIGN) != campaign.identifiant or not company or company in campaign.company_ids:
            continue
        target = folder / RETIRED_DIR / path.name
        target.parent.mkdir(exist_ok=True)
        try:
            os.replace(path, target)
        except PermissionError:
            raise OutputBusy([path]) from None
        name = props.get(form.PROP_NAME, company)
        retired.append(Retired(company, name, target, by_name.get(name, "")))
    return retired


def write_templates(campaign: Campaign, root: str | Path = ".", previous: dict[str, dict[int, float]] | None = None,
                    progress=None) -> tuple[list[Written], list[Retired]]:
    """Bring templates_xlsx/<campaign>/ up to date: one template per company, written only when new or
    changed, and the templates of companies no longer listed moved aside.

    ``previous``: per company, its N−1 reminder values (see ``compute.evolution.previous_values``); a
    company absent from it gets an empty reminder column, and with ``previous=None`` there is no such column.
    """
    folder = campaign.templates_dir(Path(root))
    folder.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(folder)
    retired = retire_stale(campaign, root)
    jobs = [(soc.identifiant, folder / soc.fichier, None if previous is None else previous.get(soc.identifiant, {}))
            for soc in campaign.societes.itertuples(index=False)]
    build_layout(campaign.nomenclature)  # computed once, before any worker is forked
    stamper = Stamper(campaign)  # most templates made from another company's (see .stamp)
    stamper.prepare(folder, previous is not None)
    written = parallel_map(lambda job: refresh_template(campaign, *job, stamper), jobs, progress)
    return written, retired
