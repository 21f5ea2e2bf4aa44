"""Which company a returned workbook belongs to, and whether it is a template of this campaign.

The identity is stored twice by the template writer: as custom document properties (kept by Excel in
.xlsx, and by LibreOffice in .xlsx and .ods) and as a line of text printed on the sheets. A format
without custom properties (.xls as calamine reads it) is identified by the printed line.
"""

from __future__ import annotations

from ..core import form
from ..core.campaign import Campaign
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
    stem = (file_name.rsplit(".", 1)[0] if "." in file_name else file_name).lower()
    stem = stem.removesuffix(".xlsx").removesuffix(".ods").removesuffix(".xls")  # a print: « ….xlsx.pdf »
    for company in campaign.societes["identifiant"]:
        own = campaign.template_name(company).rsplit(".", 1)[0]
        if stem == own or stem.startswith((own + " ", own + "(")):
            return company
    return None


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
