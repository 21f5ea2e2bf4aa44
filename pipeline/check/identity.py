"""Which company a returned workbook belongs to, and whether it is a template of this campaign.

The identity is stored twice by the template writer: as custom document properties (kept by Excel in
.xlsx, and by LibreOffice in .xlsx and .ods) and as a line of text printed on the sheets. A format
without custom properties (.xls as calamine reads it) is identified by the printed line.
"""

from __future__ import annotations

import re

from ..core import form
from ..core.campaign import Campaign, slug
from ..core.vocab import Severity
from ..read.xlsx import WorkbookFacts

ERROR = Severity.ERROR
PRINTED_ROWS = 12  # the identity line is printed in the first rows of the sheets


def prop_text(value: object) -> str:
    """Identity properties are written as text; a spreadsheet may have turned "2007" into 2007.0."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def identity_of(facts: WorkbookFacts) -> dict[str, object]:
    """The identity properties of a workbook: its custom properties, or for an .xls the line printed
    on its input sheet (else on any sheet)."""
    if facts.properties or facts.format != "xls":
        return facts.properties
    names = sorted((s.name for s in facts.sheets), key=lambda n: n != form.SHEET_INPUT)
    for name in names:
        for cell in facts.sheet(name).cells:
            if cell.row <= PRINTED_ROWS and (found := form.parse_identity(cell.value)):
                return found
    return {}


def check_identity(report, raw: dict[str, object], campaign: Campaign) -> str | None:
    """The company id when the workbook is a template of this campaign, else report why not
    (``report``: the file's :class:`~pipeline.check.workbook.FileCheck`)."""
    props = {k: prop_text(v) for k, v in raw.items()}
    if form.PROP_COMPANY not in props or form.PROP_CAMPAIGN not in props:
        report.add(ERROR, "identite.absente")
        return None
    company = props[form.PROP_COMPANY]
    report.societe = company
    if props[form.PROP_CAMPAIGN] != campaign.identifiant:
        report.add(ERROR, "identite.campagne", campagne=props[form.PROP_CAMPAIGN], attendue=campaign.identifiant)
        return None
    if props.get(form.PROP_FORMAT, "").split(".")[0] != form.FORMAT_VERSION:
        report.add(ERROR, "identite.format", format=props.get(form.PROP_FORMAT, "?"), attendu=form.FORMAT_VERSION)
        return None
    if props.get(form.PROP_NOMENCLATURE, "") != campaign.nomenclature.empreinte:
        report.add(ERROR, "identite.nomenclature", attendue=campaign.nomenclature.empreinte)
        return None
    if company not in campaign.company_ids:
        report.add(ERROR, "identite.societe", societe=company, campagne=campaign.identifiant)
        return None
    return company


def named_company(campaign: Campaign, file_name: str) -> str | None:
    """The company whose template's name ``file_name`` is, whatever its extension and case, copies' suffixes
    allowed (« effectifs_2007_acta (2).xlsx », « effectifs_2007_acta - Copie.xls », « effectifs_2007_acta.xlsx.pdf »);
    None for any other name. All that says whose a file is when it cannot be read (saved with a password, empty, a
    PDF under that name)."""
    stem = _stem(file_name)
    for company in campaign.societes["identifiant"]:
        own = campaign.template_name(company).rsplit(".", 1)[0]
        if stem == own or stem.startswith((own + " ", own + "(")):
            return company
    return None


def _stem(file_name: str) -> str:
    """A file's name without its extension, lower-cased (« Acta.xlsx.pdf », a print, gives « acta »)."""
    stem = (file_name.rsplit(".", 1)[0] if "." in file_name else file_name).lower()
    return stem.removesuffix(".xlsx").removesuffix(".ods").removesuffix(".xls")


NAMED = "societe.par_nom"
SET_ASIDE = "societe.par_nom_ecarte"  # the same, withdrawn: the company's own workbook is in the folder


def attribute_by_name(report, campaign: Campaign) -> None:
    """A file whose content cannot say whose it is (``report``: its check) belongs to the company its name is the
    template of (:func:`named_company`), said in an information message — an attribution the batch withdraws
    should another file of that company say so by its content (:func:`~pipeline.check.batch.check_batch`)."""
    company = named_company(campaign, report.fichier.rstrip("/"))
    if company is not None:
        report.societe = company
        report.add(Severity.INFO, NAMED, societe=campaign.raison_sociale(company), identifiant=company)


NAME_OTHER = "societe.nom_autre"  # a company's template, under a name that names another company
MIN_WORD = 3  # shorter words (« sa », « de », « l' », « (2) ») name no company
STOP_WORDS = frozenset({"des", "les", "aux", "pour", "par", "sur", "une"})  # name no company either
# Words a name holds for other reasons than a company (a country, a trade): never a company's whole key alone
# (« AXA France » beside « AXA Assistance » is named by « axa » and « france », not by « France » alone).
GENERIC = frozenset({"france", "services", "service", "partners", "groupe", "group", "assistance", "conseil",
                     "gestion", "international", "europe", "assurance", "assurances", "mutuelle", "mutuelles"})


def words(text: str) -> frozenset[str]:
    """The words of a name as names are compared: accents, case and separators (« _ - . », spaces…) dropped;
    neither short words (:data:`MIN_WORD`) nor :data:`STOP_WORDS`."""
    return frozenset(w for w in re.split(r"[-_]", slug(text, len(text) + 1))
                     if len(w) >= MIN_WORD and w not in STOP_WORDS)


def _key(own: frozenset[str], all_words: frozenset[str]) -> frozenset[str]:
    """A company's key: its own words, or all its words when it has none but :data:`GENERIC` ones."""
    return own if own - GENERIC else all_words


class CompanyNames:
    """Which companies of a campaign a file's name names. A company's own words are those of its identifier, and
    those of its raison sociale, that no other company of the campaign has in either (« garantie » in
    « garantie-assistance », not « assistance », which half of them share); a name names a company when it holds
    all its own words, of its identifier or of its raison sociale (all its words when it has none of its own).
    The template's parts (« effectifs », the campaign's identifier) are no word of a file's name. Built once per
    batch, and only when some file is not under its template's name."""

    def __init__(self, campaign: Campaign) -> None:
        self.ignored = words(campaign.template_name("x"))
        pools = {c: (words(c), words(n)) for c, n in campaign.names.items()}
        seen: dict[str, int] = {}
        for id_words, name_words in pools.values():
            for w in id_words | name_words:
                seen[w] = seen.get(w, 0) + 1
        self.full = {c: id_words for c, (id_words, _) in pools.items()}
        self.keys: dict[str, list[tuple[str, frozenset[str]]]] = {}  # a word -> (company, key) holding it
        for company, pool in pools.items():
            for key in {_key(frozenset(w for w in all_words if seen[w] == 1), all_words) for all_words in pool}:
                for w in key:
                    self.keys.setdefault(w, []).append((company, key))

    def named(self, file_name: str) -> set[str]:
        """The companies ``file_name`` names, but one whose identifier's words another named one holds too
        (« axa » when it names « axa-france »)."""
        held = words(_stem(file_name)) - self.ignored
        found = {c for w in held for c, key in self.keys.get(w, ()) if key <= held}
        return {c for c in found if not any(self.full[c] < self.full[o] for o in found)}

    def other(self, file_name: str, company: str) -> str | None:
        """The one other company ``file_name`` names when it does not name ``company``, whose template it is."""
        named = self.named(file_name)
        return named.pop() if len(named) == 1 and company not in named else None


def flag_other_names(campaign: Campaign, reports) -> None:
    """A workbook of a company's template whose name names another company (Garantie Assistance's figures in
    Mondial Assistance's template, sent as « effectifs_garantie_assistance.xlsx »): an information message, which
    makes it a point « À régler », its status unchanged (``reports``: the checks of a batch, each a
    :class:`~pipeline.check.workbook.FileCheck`; a file attributed by its name alone never is one)."""
    names = None
    for report in reports:
        company = report.societe
        if company not in campaign.company_ids or any(m.code == NAMED for m in report.messages) \
                or report.fichier == campaign.template_name(company):
            continue
        names = names or CompanyNames(campaign)
        other = names.other(report.fichier, company)
        if other is not None:
            report.add(Severity.INFO, NAME_OTHER, societe=campaign.raison_sociale(company),
                       autre=campaign.raison_sociale(other), identifiant=other, modele=campaign.template_name(company))
