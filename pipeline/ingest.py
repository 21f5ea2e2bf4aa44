"""Stage 4 — ingestion: read every returned workbook, check it, explain every problem.

Entry point: :func:`ingest`. Every entry of ``inputs/<campaign>/`` is accounted for in the
result (accepted, accepted with warnings, rejected or ignored) and no bad file stops the batch.
Rows are found by their code, never by their position. Every input cell of every file goes into
one long raw frame, validated once with pandera (``schemas.SAISIES``) before any conversion;
each failure is mapped back to its file, sheet and cell. :func:`write_control_report` writes
``controle.xlsx``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pandera.pandas as pa

from . import schemas
from .campaign import Campaign
from .errors import UserError
from .fastread import read_fast
from .parallel import parallel_map
from .templates import (
    FORMAT_VERSION, HEADINGS, COL_CODE, COL_COMMENT, COL_EFFECTIF, COL_EMPLOI, COL_TITLE, KEY_TOTAL,
    PROP_CAMPAIGN, PROP_COMPANY, PROP_FORMAT, PROP_NOMENCLATURE, SHEET_FEEDBACK, SHEET_GUIDE, SHEET_INPUT, LayoutRow,
    build_layout,
)
from .xlsx import atomic_workbook, formats, row_height

ACCEPTED = "accepté"
WARNED = "accepté avec avertissements"
REJECTED = "rejeté"
IGNORED = "ignoré"

ERROR = "erreur"
WARNING = "avertissement"
INFO = "information"

# Limits read from the zip directory before anything is decompressed.
MAX_MEMBERS = 2_000
MAX_UNCOMPRESSED = 50 * 1024 * 1024       # the whole file (pasted images included)
MAX_XML_PART = 10 * 1024 * 1024           # one XML part: ~100,000 rows, a template's sheet is 35 KB
MAX_RATIO = 200
HEADER_SEARCH_ROWS = 40
MAX_ADDED_ROW_MESSAGES = 20  # per file; beyond, one summary message
MAX_COMMENT = 2_000
FAST_PATH = True  # read plain returns with python-calamine (pipeline/fastread.py); False: always openpyxl

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007]+")
_NUMBER_TEXT = re.compile(r"^[+-]?\d+([.,]\d+)?$")
_ADVICE_SAVE_XLSX = "enregistrez le fichier au format Excel (.xlsx) et renvoyez-le"
EXPECTED_FILE = "le modèle de la campagne rempli, au format Excel (.xlsx)"


@dataclass
class FileReport:
    """What one entry of the input folder became."""

    fichier: str
    societe: str = ""
    statut: str = ""
    messages: list[dict] = field(default_factory=list)

    def add(self, gravite: str, message: str, attendu: str = "", action: str = "",
            feuille: str = "", cellule: str = "", cle: str = "") -> None:
        self.messages.append(dict(fichier=self.fichier, societe=self.societe, feuille=feuille, cellule=cellule,
                                  cle=cle, gravite=gravite, message=message, attendu=attendu, action=action))

    @property
    def has_errors(self) -> bool:
        return any(m["gravite"] == ERROR for m in self.messages)


@dataclass
class IngestResult:
    campaign: Campaign
    fichiers: pd.DataFrame      # fichier, societe, raison_sociale, statut, erreurs, avertissements
    messages: pd.DataFrame      # fichier, societe, feuille, cellule, gravite, message, attendu, action
    effectifs: pd.DataFrame     # accepted figures, schemas.EFFECTIFS (NV included as code "NV")
    declarations: pd.DataFrame  # accepted companies: societe, fichier, ventiles, non_ventiles, total_declare
    manquantes: pd.DataFrame    # identifiant, raison_sociale: companies with no file at all
    saisies: pd.DataFrame       # every input cell read from every file, raw: fichier, societe, cle, brut, …
    en_attente: frozenset[str] = frozenset()  # files rejected only because another file has the same company

    @property
    def acceptees(self) -> list[str]:
        return list(self.declarations["societe"])

    @property
    def all_accepted(self) -> bool:
        expected = set(self.campaign.societes["identifiant"])
        return expected <= set(self.acceptees) and not (self.fichiers["statut"] == REJECTED).any()


# ---------------------------------------------------------------------------------------------
# Reading one file
# ---------------------------------------------------------------------------------------------


def _norm(text: object) -> str:
    """Compare headings and labels loosely: case, accents, spaces."""
    s = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode("ascii")
    return _SPACES.sub(" ", s).strip().lower()


def classify_entry(path: Path) -> tuple[str, str, str] | None:
    """For an entry that cannot be a return: (status, message, action); None for a .xlsx file."""
    name = path.name
    if not path.is_dir() and not path.is_file():
        return REJECTED, "ce n'est pas un fichier ordinaire (lien cassé, tube ou périphérique) : il n'est pas lu", \
            "remplacez-le par le classeur lui-même"
    if path.is_dir():
        return IGNORED, "dossier ignoré : seuls les fichiers déposés directement dans le dossier de la campagne sont lus", \
            "déplacez les fichiers à lire directement dans le dossier de la campagne"
    if name.startswith("~$") or (name.startswith(".~lock.") and name.endswith("#")):
        return IGNORED, "fichier de verrouillage Office (créé pendant qu'un classeur est ouvert)", \
            "rien à faire ; fermez le classeur dans Excel ou LibreOffice avant de lancer le contrôle"
    if name.startswith("."):
        return IGNORED, "fichier caché ignoré", "rien à faire"
    ext = path.suffix.lower()
    if ext == ".xlsx":
        return None
    advice = {
        ".xls": ("ancien format Excel 97-2003 (.xls), non accepté",
                 "ouvrez-le et enregistrez-le au format « Classeur Excel (.xlsx) »"),
        ".ods": ("format OpenDocument (.ods), non accepté",
                 "dans LibreOffice : Fichier > Enregistrer sous > type « Excel 2007-365 (.xlsx) »"),
        ".csv": ("fichier CSV : les contrôles et l'identification du modèle sont impossibles",
                 "renvoyez le classeur .xlsx du modèle rempli, et non un export CSV"),
        ".xlsm": ("classeur avec macros (.xlsm), refusé : les macros ne sont jamais exécutées",
                  "enregistrez le classeur au format .xlsx (sans macros) et renvoyez-le"),
    }
    message, action = advice.get(ext, (
        f"fichier « {ext or 'sans extension'} » non reconnu : seul le classeur .xlsx du modèle est accepté",
        "renvoyez le modèle rempli au format .xlsx",
    ))
    return REJECTED, message, action


def _zip_problem(path: Path) -> tuple[str, str] | None:
    """Check the container before any parsing: (message, action) when it cannot be read safely."""
    with path.open("rb") as fh:
        head = fh.read(8)
    if not head:
        return "fichier vide (0 octet)", "renvoyez le fichier rempli ; la copie a peut-être échoué"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return ("fichier protégé par mot de passe (chiffré), ou ancien format .xls renommé en .xlsx",
                "retirez le mot de passe à l'ouverture (Fichier > Informations > Protéger le classeur) "
                "et enregistrez au format .xlsx")
    if not zipfile.is_zipfile(path):
        kind = "un PDF" if head.startswith(b"%PDF") else "une image" if head[:4] in (
            b"\x89PNG", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xe1", b"GIF8") else "pas un classeur Excel"
        return (f"ce fichier n'est pas un classeur .xlsx lisible (c'est {kind}, ou il est endommagé)",
                _ADVICE_SAVE_XLSX)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
    except (zipfile.BadZipFile, OSError, ValueError):
        return "classeur endommagé (archive illisible)", _ADVICE_SAVE_XLSX
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    largest_xml = max((i.file_size for i in infos if i.filename.endswith((".xml", ".rels"))), default=0)
    if len(infos) > MAX_MEMBERS or total > MAX_UNCOMPRESSED or largest_xml > MAX_XML_PART \
            or (total > 10 * 1024 * 1024 and total / packed > MAX_RATIO):
        return ("classeur refusé : son contenu décompressé est anormalement volumineux (fichier piégé ou endommagé)",
                "repartez du modèle d'origine et renvoyez-le")
    if "xl/vbaProject.bin" in names:
        return ("classeur avec macros, refusé : les macros ne sont jamais exécutées",
                "enregistrez le classeur au format .xlsx (sans macros) et renvoyez-le")
    if "xl/workbook.xml" not in names:
        return "ce fichier n'est pas un classeur Excel (document Word ou archive renommé ?)", _ADVICE_SAVE_XLSX
    return None


def _caused_by_defusedxml(err: BaseException | None) -> bool:
    """openpyxl wraps parser errors (``raise ValueError(...) from err``): look down the chain."""
    seen = set()
    while err is not None and id(err) not in seen:
        if type(err).__module__.startswith("defusedxml"):
            return True
        seen.add(id(err))
        err = err.__cause__ or err.__context__
    return False


def _prop_text(value: object) -> str:
    """Identity properties are written as text; a spreadsheet may have turned "2007" into 2007.0."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _custom_props(wb) -> dict[str, str]:
    try:
        return {p.name: _prop_text(p.value) for p in wb.custom_doc_props.props}
    except Exception:  # noqa: BLE001 — a damaged part means: no identity
        return {}


def _check_identity(report: FileReport, props: dict[str, str], campaign: Campaign) -> str | None:
    """Return the company id when the workbook is a template of this campaign, else report why not."""
    if PROP_COMPANY not in props or PROP_CAMPAIGN not in props:
        report.add(ERROR, "les informations d'identification du modèle sont absentes de ce classeur",
                   "le modèle envoyé par le secrétariat pour votre société",
                   "saisissez vos effectifs dans le modèle reçu, sans le copier dans un nouveau classeur")
        return None
    company = props[PROP_COMPANY].strip()
    report.societe = company
    if props[PROP_CAMPAIGN].strip() != campaign.identifiant:
        report.add(ERROR, f"ce classeur est le modèle de la campagne « {props[PROP_CAMPAIGN]} »",
                   f"le modèle de la campagne « {campaign.identifiant} »",
                   "remplissez le modèle de la campagne en cours, envoyé par le secrétariat")
        return None
    if props.get(PROP_FORMAT, "").split(".")[0] != FORMAT_VERSION:
        report.add(ERROR, f"ancienne version du modèle (format « {props.get(PROP_FORMAT, '?')} »)",
                   f"le modèle au format {FORMAT_VERSION}",
                   "recopiez vos effectifs dans le modèle envoyé pour cette campagne")
        return None
    if props.get(PROP_NOMENCLATURE, "") != campaign.nomenclature.empreinte:
        report.add(ERROR, "ce modèle a été établi avec une autre version de la nomenclature des métiers",
                   f"la nomenclature {campaign.nomenclature.empreinte} de la campagne",
                   "recopiez vos effectifs dans le modèle envoyé pour cette campagne")
        return None
    if company not in set(campaign.societes["identifiant"]):
        report.add(ERROR, f"société « {company} » inconnue dans la campagne « {campaign.identifiant} »",
                   "une société de la liste de la campagne",
                   "vérifiez la liste des sociétés du fichier de campagne, ou renvoyez le bon modèle")
        return None
    return company


def _find_input_sheet(report: FileReport, wb):
    if SHEET_INPUT in wb.sheetnames:
        others = [n for n in wb.sheetnames if n not in (SHEET_INPUT, SHEET_GUIDE, SHEET_FEEDBACK)]
        if others:
            report.add(WARNING, f"feuille(s) ajoutée(s) : {', '.join(others)} (non lue(s))",
                       "les seules feuilles du modèle", "reportez toute information utile dans la feuille "
                       f"« {SHEET_INPUT} » (colonne Commentaire)")
        return wb[SHEET_INPUT]
    candidates = [ws for ws in wb.worksheets
                  if ws.title not in (SHEET_GUIDE, SHEET_FEEDBACK) and _find_header(ws) is not None]
    if len(candidates) == 1:
        report.add(WARNING, f"la feuille « {SHEET_INPUT} » a été renommée « {candidates[0].title} »",
                   f"une feuille nommée « {SHEET_INPUT} »", "ne renommez pas les feuilles du modèle",
                   feuille=candidates[0].title)
        return candidates[0]
    report.add(ERROR, f"feuille « {SHEET_INPUT} » introuvable (feuilles présentes : {', '.join(wb.sheetnames)})",
               f"la feuille « {SHEET_INPUT} » du modèle", "repartez du modèle envoyé par le secrétariat")
    return None


def _find_header(ws) -> tuple[int, dict[int, int]] | None:
    """(row, {template column: actual column}) of the headings row, found by its texts."""
    wanted = {col: _norm(text) for col, text in HEADINGS.items()}
    for row in ws.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS):
        found: dict[int, int] = {}
        for cell in row:
            text = _norm(cell.value) if isinstance(cell.value, str) else ""
            for col, heading in wanted.items():
                if col not in found and text and (text == heading or (col == COL_EFFECTIF and text.startswith(heading))):
                    found[col] = cell.column
        if COL_CODE in found and COL_EFFECTIF in found:
            return row[0].row, found
    return None


def _key_of(value: object) -> tuple[str, bool]:
    """The row key in a code cell, and whether it came from a number (Excel drops leading zeros)."""
    if isinstance(value, bool) or value is None:
        return "", False
    if isinstance(value, (int, float)) and float(value).is_integer():
        return f"{int(value):04d}", True
    return str(value).strip(), False


def _text_number(text: str) -> float | int | None:
    compact = _SPACES.sub("", text)
    if not _NUMBER_TEXT.match(compact):
        return None
    number = float(compact.replace(",", "."))
    return int(number) if number.is_integer() else number


@dataclass
class _Parsed:
    report: FileReport
    company: str
    sheet: str
    cells: list[dict]          # raw input cells
    total_cell: str = ""


def _read_workbook(path: Path, campaign: Campaign, layout: list[LayoutRow]) -> _Parsed:
    report = FileReport(path.name)
    parsed = _Parsed(report, "", "", [])
    problem = _zip_problem(path)
    if problem:
        report.add(ERROR, problem[0], EXPECTED_FILE, problem[1])
        return parsed
    if FAST_PATH:
        try:
            fast = read_fast(path, campaign, layout)
        except Exception:  # noqa: BLE001 — anything unexpected: the full path decides, with its messages
            fast = None
        if fast is not None:
            return fast
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(path, data_only=False)
    except Exception as err:  # noqa: BLE001 — whatever the library raises, the batch goes on
        dangerous = _caused_by_defusedxml(err)
        report.add(ERROR,
                   "classeur refusé : il contient des constructions XML dangereuses" if dangerous
                   else f"classeur illisible ({type(err).__name__})",
                   EXPECTED_FILE, _ADVICE_SAVE_XLSX if not dangerous else "repartez du modèle d'origine")
        return parsed
    try:
        with zipfile.ZipFile(path) as zf:
            if any(n.startswith("xl/externalLinks/") for n in zf.namelist()):
                report.add(WARNING, "le classeur contient des liaisons vers d'autres fichiers",
                           "aucune liaison externe", "remplacez les formules liées par des valeurs saisies")
        company = _check_identity(report, _custom_props(wb), campaign)
        if company is None:
            return parsed
        parsed.company = company
        ws = _find_input_sheet(report, wb)
        if ws is None:
            return parsed
        parsed.sheet = ws.title
        _read_input_sheet(path, parsed, ws, layout)
    finally:
        wb.close()
    return parsed


def _read_input_sheet(path: Path, parsed: _Parsed, ws, layout: list[LayoutRow]) -> None:
    report, sheet = parsed.report, ws.title
    header = _find_header(ws)
    if header is None:
        report.add(ERROR, "ligne d'en-tête introuvable (colonnes « Code » et « Effectif »)",
                   "l'en-tête du modèle", "repartez du modèle envoyé par le secrétariat", feuille=sheet)
        return
    header_row, columns = header
    inputs = {row.cle: row for row in layout if row.is_input}
    found = _scan_rows(report, ws, header_row, columns, layout)
    merged = {}
    for rng in ws.merged_cells.ranges:
        if rng.min_col <= columns[COL_EFFECTIF] <= rng.max_col:
            for r in range(rng.min_row, rng.max_row + 1):
                merged[r] = rng.coord
    reader = _CellReader(path, ws)
    for key, row_def in inputs.items():
        rows = found.get(key, [])
        if not rows:
            report.add(ERROR, f"la ligne du code « {key} » ({row_def.intitule or row_def.emploi}) est introuvable",
                       "toutes les lignes du modèle, avec leur code",
                       "rétablissez la ligne (repartez du modèle d'origine) et saisissez-y l'effectif",
                       feuille=sheet, cle=key)
            continue
        if len(rows) > 1:
            cells = ", ".join(f"{ws.cell(r, columns[COL_CODE]).coordinate}" for r in rows)
            report.add(ERROR, f"le code « {key} » apparaît {len(rows)} fois ({cells})",
                       "chaque code une seule fois", "supprimez la ligne en double", feuille=sheet,
                       cellule=ws.cell(rows[1], columns[COL_CODE]).coordinate, cle=key)
            continue
        cell = ws.cell(rows[0], columns[COL_EFFECTIF])
        if rows[0] in merged:
            report.add(ERROR, f"la cellule de l'effectif est fusionnée avec d'autres ({merged[rows[0]]})",
                       "une cellule par métier", "annulez la fusion (Format > Fusionner) et saisissez chaque effectif",
                       feuille=sheet, cellule=cell.coordinate, cle=key)
            continue
        found_value, number = reader.read(report, cell, key)
        if not found_value:
            continue
        parsed.cells.append(dict(
            fichier=path.name, societe=parsed.company, feuille=sheet, cellule=cell.coordinate, cle=key,
            kind=row_def.kind, code_metier=row_def.code_metier or key, rang_emploi=row_def.rang_emploi,
            brut=cell.value, nombre=number, commentaire=_comment(report, ws, rows[0], columns, key),
        ))
        if row_def.kind == "declare":
            parsed.total_cell = cell.coordinate
        if row_def.kind == "saisie":
            _check_title(report, ws, rows[0], columns, row_def)


def _scan_rows(report: FileReport, ws, header_row: int, columns: dict[int, int],
               layout: list[LayoutRow]) -> dict[str, list[int]]:
    """Every row below the headings: the rows of each input key, and what HR added or typed elsewhere."""
    sheet = ws.title
    col_code, col_value, col_title = columns[COL_CODE], columns[COL_EFFECTIF], columns.get(COL_TITLE)
    inputs = {row.cle for row in layout if row.is_input}
    structure_keys = {row.cle: row for row in layout if row.cle and not row.is_input}
    structure_labels = {_norm(row.intitule): row for row in layout if not row.cle}
    found: dict[str, list[int]] = {}
    added = {ERROR: 0, WARNING: 0}
    for row in ws.iter_rows(min_row=header_row + 1):
        by_col = {c.column: c for c in row}
        code_cell = by_col.get(col_code)
        key, from_number = _key_of(code_cell.value if code_cell is not None else None)
        if key in inputs:
            found.setdefault(key, []).append(row[0].row)
            if from_number:
                report.add(WARNING, f"code saisi comme nombre ({code_cell.value}) : lu comme « {key} »",
                           f"le code « {key} » en texte", "ne modifiez pas la colonne Code",
                           feuille=sheet, cellule=code_cell.coordinate, cle=key)
            continue
        values = [c.value for c in row if c.value is not None and str(c.value).strip() != ""]
        if not values:
            continue
        value_cell = by_col.get(col_value)
        label = _norm(by_col[col_title].value) if col_title in by_col else ""
        ours = structure_keys.get(key) if key else structure_labels.get(label)
        if ours is not None:
            _check_structure_value(report, sheet, ours, value_cell)
            continue
        with_number = value_cell is not None and value_cell.value not in (None, "") and value_cell.data_type != "f"
        gravity = ERROR if with_number else WARNING
        added[gravity] += 1
        if added[ERROR] + added[WARNING] > MAX_ADDED_ROW_MESSAGES:
            continue
        content = " | ".join(schemas.describe_value(v) for v in values[:8])
        if with_number:
            report.add(ERROR, f"ligne ajoutée hors du modèle avec un effectif ({content})",
                       "des effectifs saisis uniquement sur les lignes des métiers du modèle",
                       "reportez cet effectif sur le métier correspondant, ou sur la ligne NV (non ventilés), "
                       "puis supprimez la ligne ajoutée", feuille=sheet, cellule=value_cell.coordinate)
        else:
            report.add(WARNING, f"ligne ajoutée hors du modèle, non prise en compte ({content})",
                       "aucune ligne ajoutée", "utilisez la colonne Commentaire du métier concerné",
                       feuille=sheet, cellule=f"A{row[0].row}")
    extra = added[ERROR] + added[WARNING] - MAX_ADDED_ROW_MESSAGES
    if extra > 0:
        report.add(ERROR if added[ERROR] > MAX_ADDED_ROW_MESSAGES else WARNING,
                   f"… et {extra} autre(s) ligne(s) ajoutée(s) hors du modèle, non détaillées "
                   f"({added[ERROR]} ligne(s) ajoutée(s) avec un effectif au total)",
                   "aucune ligne ajoutée", "repartez du modèle d'origine", feuille=sheet)
    return found


class _CellReader:
    """Reads one input cell: the raw value, and the number it stands for."""

    def __init__(self, path: Path, ws):
        self.path, self.ws = path, ws
        self._cached: dict[str, object] | None = None  # HR formulas' stored results, read when needed

    def _stored_result(self, coordinate: str) -> object:
        if self._cached is None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                values_wb = openpyxl.load_workbook(self.path, data_only=True, read_only=True)
                try:
                    self._cached = {c.coordinate: c.value for row in values_wb[self.ws.title].iter_rows()
                                    for c in row if hasattr(c, "coordinate")}
                finally:
                    values_wb.close()
        return self._cached.get(coordinate)

    def read(self, report: FileReport, cell, key: str) -> tuple[bool, object]:
        """(usable, number): ``number`` is what the pandera checks see; ``usable`` False when reported."""
        raw, sheet, where = cell.value, self.ws.title, cell.coordinate
        if cell.data_type == "f" or (isinstance(raw, str) and raw.startswith("=")):
            if "[" in str(raw):
                report.add(ERROR, f"formule liée à un autre fichier ({schemas.describe_value(raw)}) : sa valeur "
                           "enregistrée n'est pas utilisée", "un nombre saisi",
                           "remplacez la formule par le nombre de personnes", feuille=sheet, cellule=where, cle=key)
                return False, None
            computed = self._stored_result(where)
            if computed is None or isinstance(computed, (str, bool)):
                report.add(ERROR, f"formule sans résultat numérique enregistré ({schemas.describe_value(raw)})",
                           "un nombre saisi", "remplacez la formule par le nombre de personnes",
                           feuille=sheet, cellule=where, cle=key)
                return False, None
            report.add(WARNING, f"formule saisie ({schemas.describe_value(raw)}) : sa valeur calculée "
                       f"{schemas.describe_value(computed)} est retenue", "un nombre saisi",
                       "vérifiez la valeur, ou remplacez la formule par le nombre", feuille=sheet, cellule=where,
                       cle=key)
            return True, computed
        if isinstance(raw, str):
            converted = _text_number(raw)
            if converted is None:
                return True, None if raw.strip() == "" else raw
            if not (float(converted).is_integer() and converted >= 0):
                return True, converted  # the checks report it; no "read as" warning for a refused value
            report.add(WARNING, f"nombre saisi comme texte (« {schemas.describe_value(raw)} ») : lu comme "
                       f"{schemas.describe_value(converted)}", "un nombre",
                       "saisissez le nombre sans espace ni apostrophe", feuille=sheet, cellule=where, cle=key)
            return True, converted
        if isinstance(raw, (int, float)) and not isinstance(raw, bool) and "%" in str(cell.number_format) \
                and float(raw).is_integer():
            report.add(WARNING, f"cellule au format pourcentage : elle affiche {int(raw) * 100} %, la valeur "
                       f"{int(raw)} est retenue", "un nombre de personnes au format nombre",
                       "vérifiez l'effectif et remettez la cellule au format nombre", feuille=sheet, cellule=where,
                       cle=key)
        return True, raw


def _comment(report: FileReport, ws, r: int, columns: dict[int, int], key: str) -> str:
    col = columns.get(COL_COMMENT)
    value = ws.cell(r, col).value if col else None
    text = "" if value is None else str(value)
    if len(text) > MAX_COMMENT:
        report.add(WARNING, f"commentaire très long ({len(text)} caractères) : seuls les {MAX_COMMENT} premiers "
                   "sont conservés", f"un commentaire de {MAX_COMMENT} caractères au plus",
                   "résumez le commentaire", feuille=ws.title, cellule=ws.cell(r, col).coordinate, cle=key)
        text = text[:MAX_COMMENT]
    return text


def _check_title(report: FileReport, ws, r: int, columns: dict[int, int], row_def: LayoutRow) -> None:
    """Titles edited by HR: the code decides, the change is reported."""
    expected = row_def.intitule if row_def.rang_emploi == 0 else row_def.emploi
    col = columns.get(COL_TITLE if row_def.rang_emploi == 0 else COL_EMPLOI)
    actual = ws.cell(r, col).value if col else None
    if col and _norm(actual) != _norm(expected):
        report.add(WARNING, f"intitulé modifié : « {schemas.describe_value(actual)} » au lieu de « {expected} »",
                   "les intitulés du modèle", f"l'effectif est pris pour le code {row_def.cle} ; si le métier ne "
                   "convient pas, déplacez l'effectif sur la bonne ligne",
                   feuille=ws.title, cellule=ws.cell(r, col).coordinate, cle=row_def.cle)


def _check_structure_value(report: FileReport, sheet: str, row: LayoutRow, cell) -> None:
    """A heading or total row of the template: a value typed there is reported, never used."""
    if cell is None or cell.value is None or str(cell.value).strip() == "" or cell.data_type == "f":
        return
    what = "de titre" if row.kind in ("groupe", "famille") else "de total"
    report.add(WARNING, f"valeur {schemas.describe_value(cell.value)} saisie sur une ligne {what} "
               f"(« {row.intitule} ») : elle n'est pas prise en compte",
               "des effectifs saisis uniquement dans les cellules jaunes ; les totaux sont recalculés",
               "reportez l'effectif sur la ligne du métier concerné et rétablissez le modèle",
               feuille=sheet, cellule=cell.coordinate)


# ---------------------------------------------------------------------------------------------
# The batch
# ---------------------------------------------------------------------------------------------


def _schema_messages(raw: pd.DataFrame, reports: dict[str, FileReport]) -> None:
    try:
        schemas.SAISIES.validate(raw, lazy=True)
    except pa.errors.SchemaErrors as err:
        for fc in err.failure_cases.itertuples(index=False):
            if pd.isna(fc.index):  # a frame-level failure is our bug, never the user's
                raise RuntimeError(f"raw cells frame broke its schema: {fc.check} on {fc.column}") from err
            cell = raw.loc[int(fc.index)]
            what, expected, todo = schemas.MESSAGES.get(str(fc.check), ("valeur « {valeur} » refusée", "", ""))
            shown = cell["brut"] if cell["brut"] is not None else fc.failure_case
            if isinstance(shown, (dt.datetime, dt.date)):
                what = "la cellule contient une date ({valeur}) et non un nombre"
            elif isinstance(shown, bool):
                what = "la cellule contient une valeur logique ({valeur}) et non un nombre"
            elif isinstance(shown, str) and shown.startswith("#"):
                what = "la cellule contient une erreur de formule ({valeur})"
            reports[cell["fichier"]].add(ERROR, what.format(valeur=schemas.describe_value(shown)), expected, todo,
                                         feuille=cell["feuille"], cellule=cell["cellule"], cle=cell["cle"])


def _declaration_messages(decl: pd.DataFrame, reports: dict[str, FileReport]) -> None:
    try:
        schemas.DECLARATIONS.validate(decl, lazy=True)
    except pa.errors.SchemaErrors as err:
        failing = err.failure_cases.dropna(subset=["index"]).drop_duplicates(["check", "index"])
        for fc in failing.itertuples(index=False):
            d = decl.loc[int(fc.index)]
            v, nv = int(d["ventiles"]), int(d["non_ventiles"])
            report = reports[d["fichier"]]
            where = dict(feuille=d["feuille"], cellule=d["cellule_total"], cle=KEY_TOTAL)
            if fc.check == "total_declare_manquant":
                report.add(ERROR, f"l'effectif total déclaré (ligne {KEY_TOTAL}) est vide",
                           f"l'effectif permanent total de la société ; il doit valoir {v + nv} "
                           f"(ventilés {v} + non ventilés {nv})", "saisissez l'effectif total de la société", **where)
            elif fc.check == "total_declare_ecart":
                total = int(d["total_declare"])
                report.add(ERROR, f"le total déclaré ({total}) ne correspond pas à la somme des effectifs saisis : "
                           f"ventilés {v} + non ventilés {nv} = {v + nv} (écart {total - v - nv:+d})",
                           "total déclaré = ventilés + non ventilés",
                           "corrigez la ventilation, les non ventilés ou le total déclaré", **where)
            elif fc.check == "aucun_effectif":
                report.add(ERROR, "aucun effectif n'est saisi dans ce classeur", "le modèle rempli",
                           "saisissez les effectifs puis renvoyez le fichier", **where)


def _message_order(message: dict) -> tuple:
    """File-level messages first, then in the sheet's reading order."""
    match = re.match(r"([A-Z]+)(\d+)$", message["cellule"])
    if not match:
        return (0, 0, "")
    return (1, int(match.group(2)), match.group(1).rjust(3))


def _read_safely(path: Path, campaign: Campaign, layout: list[LayoutRow]) -> _Parsed:
    try:
        return _read_workbook(path, campaign, layout)
    except Exception as err:  # noqa: BLE001 — one file never stops the batch
        parsed = _Parsed(FileReport(path.name), "", "", [])
        parsed.report.add(ERROR, f"fichier illisible ({type(err).__name__})", EXPECTED_FILE,
                          "repartez du modèle d'origine, enregistrez-le au format .xlsx et renvoyez-le")
        return parsed


def _read_all(paths: list[Path], campaign: Campaign, layout: list[LayoutRow], progress=None) -> list[_Parsed]:
    """Every workbook read, in order; across the machine's cores when there are many."""
    return parallel_map(lambda path: _read_safely(path, campaign, layout), paths, progress)


def ingest(campaign: Campaign, root: str | Path = ".", folder: str | Path | None = None,
           progress=None) -> IngestResult:
    """Read and check every entry of the campaign's input folder (or ``folder``).

    ``progress``: called with 1 for every entry read (a progress bar's ``update``).
    """
    folder = Path(folder) if folder else campaign.inputs_dir(Path(root))
    if not folder.is_dir():
        raise UserError(
            f"Dossier des retours introuvable : {folder}",
            ["déposez-y les classeurs renvoyés par les sociétés, puis relancez la commande"],
        )
    layout = build_layout(campaign.nomenclature)
    reports: dict[str, FileReport] = {}
    parsed_files: list[_Parsed] = []
    workbooks = []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name.lower()):
        kind = classify_entry(entry)
        if kind is None:
            workbooks.append(entry)
            continue
        status, message, action = kind
        report = FileReport(entry.name + ("/" if entry.is_dir() else ""))
        report.statut = status
        report.add(INFO if status == IGNORED else ERROR, message, "" if status == IGNORED else EXPECTED_FILE,
                   action)
        reports[report.fichier] = report
        if progress:
            progress(1)
    for parsed in _read_all(workbooks, campaign, layout, progress):
        reports[parsed.report.fichier] = parsed.report
        parsed_files.append(parsed)

    # One long frame of every input cell of the batch, validated once.
    all_cells = [c for p in parsed_files for c in p.cells]
    raw = pd.DataFrame(all_cells, columns=["fichier", "societe", "feuille", "cellule", "cle", "kind", "code_metier",
                                           "rang_emploi", "brut", "nombre", "commentaire"], dtype=object)
    _schema_messages(raw, reports)

    # Per file totals, for files whose cells are all valid.
    clean = np.array([not reports[f].has_errors for f in raw["fichier"]], dtype=bool)
    valid = raw.loc[clean].copy()
    valid["effectif"] = pd.Series([0 if v is None else int(v) for v in valid["nombre"]], index=valid.index,
                                  dtype=int)
    decl_rows = []
    by_file = dict(tuple(valid.groupby("fichier", sort=False)))
    empty = valid.iloc[0:0]
    for p in parsed_files:
        if p.report.has_errors:
            continue
        cells = by_file.get(p.report.fichier, empty)
        total_cell = cells[cells["kind"] == "declare"]
        decl_rows.append(dict(
            fichier=p.report.fichier, societe=p.company, feuille=p.sheet, cellule_total=p.total_cell,
            ventiles=int(cells.loc[cells["kind"] == "saisie", "effectif"].sum()),
            non_ventiles=int(cells.loc[cells["kind"] == "non_ventiles", "effectif"].sum()),
            total_declare=None if total_cell.empty or total_cell["nombre"].iloc[0] is None
            else int(total_cell["effectif"].iloc[0]),
        ))
    decl = pd.DataFrame(decl_rows, columns=["fichier", "societe", "feuille", "cellule_total", "ventiles",
                                            "non_ventiles", "total_declare"]).astype({"total_declare": object})
    decl[["ventiles", "non_ventiles"]] = decl[["ventiles", "non_ventiles"]].astype(int)
    _declaration_messages(decl, reports)

    # Two files for one company: neither is used until one is removed.
    by_company: dict[str, list[str]] = {}
    for p in parsed_files:
        if p.company:
            by_company.setdefault(p.company, []).append(p.report.fichier)
    duplicated: set[str] = set()
    for company, files in by_company.items():
        if len(files) > 1:
            duplicated.update(files)
            for f in files:
                others = ", ".join(o for o in files if o != f)
                reports[f].add(ERROR, f"plusieurs fichiers pour la société « {company} » : celui-ci et {others}",
                               "un seul fichier par société",
                               "retirez du dossier le fichier qui n'est pas le bon ; aucun des deux n'est utilisé "
                               "d'ici là")

    for report in reports.values():
        if not report.statut:
            warned = any(m["gravite"] == WARNING for m in report.messages)
            report.statut = REJECTED if report.has_errors else WARNED if warned else ACCEPTED
        for m in report.messages:
            m["societe"] = report.societe

    accepted_files = {f for f, r in reports.items() if r.statut in (ACCEPTED, WARNED)}
    decl = decl[decl["fichier"].isin(accepted_files)].reset_index(drop=True)
    figures = valid[valid["fichier"].isin(accepted_files) & valid["kind"].isin(["saisie", "non_ventiles"])]
    effectifs = figures[["societe", "cle", "code_metier", "rang_emploi", "effectif", "commentaire"]].reset_index(drop=True)
    effectifs = effectifs.astype({"rang_emploi": int, "effectif": int})
    schemas.EFFECTIFS.validate(effectifs)

    names = dict(zip(campaign.societes["identifiant"], campaign.societes["raison_sociale"]))
    fichiers = pd.DataFrame(
        [dict(fichier=r.fichier, societe=r.societe, raison_sociale=names.get(r.societe, ""), statut=r.statut,
              erreurs=sum(m["gravite"] == ERROR for m in r.messages),
              avertissements=sum(m["gravite"] == WARNING for m in r.messages)) for r in reports.values()],
        columns=["fichier", "societe", "raison_sociale", "statut", "erreurs", "avertissements"],
    )
    messages = pd.DataFrame([m for r in reports.values() for m in sorted(r.messages, key=_message_order)],
                            columns=["fichier", "societe", "feuille", "cellule", "cle", "gravite", "message", "attendu",
                                     "action"])
    returned = set(by_company)
    manquantes = campaign.societes.loc[~campaign.societes["identifiant"].isin(returned),
                                       ["identifiant", "raison_sociale"]].reset_index(drop=True)
    pending = frozenset(f for f in duplicated if sum(m["gravite"] == ERROR for m in reports[f].messages) == 1)
    return IngestResult(campaign, fichiers, messages, effectifs, decl, manquantes, raw, pending)


def with_messages(result: IngestResult, extra: pd.DataFrame) -> IngestResult:
    """``result`` with more messages about its files (same columns), statuses and counts updated.

    Only accepted files may gain messages here (a warning turns "accepté" into "accepté avec
    avertissements"; information changes no status).
    """
    if extra.empty:
        return result
    messages = pd.concat([result.messages, extra], ignore_index=True)
    order = {f: i for i, f in enumerate(result.fichiers["fichier"])}
    messages = messages.assign(_f=messages["fichier"].map(order)).sort_values("_f", kind="stable").drop(columns="_f")
    fichiers = result.fichiers.copy()
    warnings_per_file = messages[messages["gravite"] == WARNING].groupby("fichier").size()
    fichiers["avertissements"] = fichiers["fichier"].map(warnings_per_file).fillna(0).astype(int)
    fichiers.loc[(fichiers["statut"] == ACCEPTED) & (fichiers["avertissements"] > 0), "statut"] = WARNED
    return replace(result, messages=messages.reset_index(drop=True), fichiers=fichiers)


# ---------------------------------------------------------------------------------------------
# Reporting
# ---------------------------------------------------------------------------------------------


def summary_lines(result: IngestResult) -> list[str]:
    """A short French console summary."""
    f = result.fichiers
    counts = {s: int((f["statut"] == s).sum()) for s in (ACCEPTED, WARNED, REJECTED, IGNORED)}
    n_expected = len(result.campaign.societes)
    lines = [
        f"Campagne {result.campaign.identifiant} : {len(f)} élément(s) dans le dossier des retours — "
        f"{counts[ACCEPTED]} accepté(s), {counts[WARNED]} accepté(s) avec avertissements, "
        f"{counts[REJECTED]} rejeté(s), {counts[IGNORED]} ignoré(s).",
        f"Sociétés acceptées : {len(result.acceptees)} sur {n_expected}.",
    ]
    messages_of = dict(tuple(result.messages.groupby("fichier", sort=False)))
    for row in f.itertuples(index=False):
        who = f" ({row.raison_sociale})" if row.raison_sociale else ""
        lines.append(f"  [{row.statut}] {row.fichier}{who}")
        for m in messages_of.get(row.fichier, result.messages.iloc[0:0]).itertuples(index=False):
            where = "!".join(x for x in (m.feuille, m.cellule) if x)
            lines.append(f"      - {m.gravite}{' ' + where if where else ''} : {m.message}")
    if len(result.manquantes):
        lines.append("Sociétés sans retour : " + ", ".join(result.manquantes["raison_sociale"]) + ".")
    return lines


def write_control_report(result: IngestResult, path: str | Path) -> Path:
    """controle.xlsx: the status of every file, every message with its cell, the missing companies."""
    path = Path(path)
    campaign = result.campaign
    with atomic_workbook(path, title=f"Contrôle des retours — campagne {campaign.identifiant}",
                         author="effectifs") as wb:
        fmt = formats(wb)
        ws = wb.add_worksheet("Fichiers")
        ws.write_string(0, 0, f"Contrôle des retours — {campaign.libelle}", fmt["title"])
        ws.write_string(1, 0, f"Sociétés acceptées : {len(result.acceptees)} sur {len(campaign.societes)} ; "
                              f"sans retour : {len(result.manquantes)}", fmt["subtitle"])
        headers = ["Fichier", "Société", "Raison sociale", "Statut", "Erreurs", "Avertissements"]
        for c, h in enumerate(headers):
            ws.write_string(3, c, h, fmt["header"])
        style = {ACCEPTED: fmt["cell"], WARNED: fmt["warning_cell"], REJECTED: fmt["error_cell"], IGNORED: fmt["cell"]}
        for r, row in enumerate(result.fichiers.itertuples(index=False), start=4):
            s = style[row.statut]
            for c, v in enumerate([row.fichier, row.societe, row.raison_sociale, row.statut]):
                ws.write_string(r, c, str(v), s)
            ws.write_number(r, 4, int(row.erreurs), fmt["number"])
            ws.write_number(r, 5, int(row.avertissements), fmt["number"])
        r = 5 + len(result.fichiers)
        ws.write_string(r, 0, "Sociétés sans retour", fmt["label"])
        for i, soc in enumerate(result.manquantes.itertuples(index=False), start=r + 1):
            ws.write_string(i, 0, soc.identifiant, fmt["cell"])
            ws.write_string(i, 1, soc.raison_sociale, fmt["cell"])
        if result.manquantes.empty:
            ws.write_string(r + 1, 0, "aucune", fmt["text"])
        for c, w in enumerate([44, 22, 30, 26, 9, 14]):
            ws.set_column(c, c, w)
        ws.freeze_panes(4, 0)

        ws = wb.add_worksheet("Anomalies")
        headers = ["Fichier", "Société", "Feuille", "Cellule", "Gravité", "Problème", "Attendu", "À faire"]
        for c, h in enumerate(headers):
            ws.write_string(0, c, h, fmt["header"])
        widths = [36, 18, 12, 9, 14, 60, 40, 50]
        for r, m in enumerate(result.messages.itertuples(index=False), start=1):
            s = fmt["error_cell"] if m.gravite == ERROR else fmt["warning_cell"] if m.gravite == WARNING else fmt["cell"]
            values = [m.fichier, m.societe, m.feuille, m.cellule, m.gravite, m.message, m.attendu, m.action]
            for c, v in enumerate(values):
                ws.write_string(r, c, str(v), s if c == 4 else fmt["cell"])
            ws.set_row(r, row_height(list(zip(values, widths))))
        for c, w in enumerate(widths):
            ws.set_column(c, c, w)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(len(result.messages), 1), len(headers) - 1)
        for sheet in (wb.worksheets()):
            sheet.set_landscape()
            sheet.set_paper(9)
            sheet.fit_to_pages(1, 0)
    return path
