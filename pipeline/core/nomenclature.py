"""The nomenclature: families and métiers, as data the observatory edits.

Entry point: :func:`load_nomenclature`. The data is a folder holding two CSV files
(``familles.csv``, ``metiers.csv``), separated by ``;`` as French Excel writes them, in UTF-8
(Windows-1252 is accepted too). In ``metiers.csv`` a cell that lists several items
(emplois rattachés, autres dénominations, rattachements hiérarchiques) separates them by `` | ``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import shutil
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from . import models
from .errors import UserError
from .texts import config as T
from .texts import fr
from .texts import value as shown
from .texts.messages import render

LIST_SEPARATOR = "|"
FAMILLES_FILE = "familles.csv"
METIERS_FILE = "metiers.csv"
CORRESPONDENCES_FILE = "correspondances.csv"
CORRESPONDENCES_HEADING = "code_precedent;code;commentaire"
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def default_nomenclature_dir() -> Path:
    return Path(str(resources.files("pipeline") / "data" / "nomenclature"))


def relative_folder(folder: str | Path, base: str | Path, within: str | Path | None = None) -> str:
    """``folder`` as a campaign file names it: relative to ``base`` (the campaign file's folder), so that the project
    can move with it; absolute when it lies outside ``within`` (the project: a shared folder stays where it is) or no
    relative path leads there (another drive)."""
    folder = Path(folder).resolve()
    if within is not None and not folder.is_relative_to(Path(within).resolve()):
        return folder.as_posix()
    try:
        return Path(os.path.relpath(folder, Path(base).resolve())).as_posix()
    except ValueError:
        return folder.as_posix()


@dataclass(frozen=True)
class Nomenclature:
    """The loaded, checked nomenclature.

    ``familles``: code_famille, groupe, numero_groupe ("I", "II"…), intitule_famille.
    ``metiers``: code_metier, code_famille, intitule_metier, mission, and the lists
    emplois (list[str]), autres (list[str]), rattachements (list[str]).
    ``lignes``: one row per line to fill in a template — cle ("0102", or "0101-1" and "0101-2"
    for a métier whose nomenclature lists several emplois rattachés), code_metier, rang_emploi
    (0 when the métier is not split), intitule_emploi.
    ``empreinte``: a short hash of what shapes a template (codes, titles, emplois), written into
    each template and checked on return.
    """

    familles: pd.DataFrame
    metiers: pd.DataFrame
    lignes: pd.DataFrame
    empreinte: str
    source: str
    groupes: list[tuple[str, str]] = field(default_factory=list)  # (numero, libellé)
    # What changed since the previous version: code_precedent -> code (either may be empty for a
    # métier created or removed); codes found in both versions and not listed map to themselves. Indexed by
    # the line of correspondances.csv (checked against the previous campaign's in core/correspondences.py).
    correspondances: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["code_precedent", "code", "commentaire"]))
    # What is derived from the nomenclature alone and asked for often (the template's layout).
    cache: dict = field(default_factory=dict, compare=False, repr=False)

    def metiers_de(self, code_famille: str) -> pd.DataFrame:
        return self._part("metiers", "code_famille", code_famille)

    def familles_du_groupe(self, groupe: str) -> pd.DataFrame:
        return self._part("familles", "groupe", groupe)

    def lignes_du_metier(self, code_metier: str) -> pd.DataFrame:
        return self._part("lignes", "code_metier", code_metier)

    def _part(self, table: str, column: str, value: str) -> pd.DataFrame:
        """The rows of ``table`` whose ``column`` is ``value``, in order (to be read, not changed). Each table is
        split once: a mask over it for each family, métier or group asked was some 0.3 ms, asked hundreds of
        times to lay out a template, the branch table, its relations and its sheets."""
        key = ("parts", table, column)
        if key not in self.cache:
            frame = getattr(self, table)
            self.cache[key] = (dict(tuple(frame.groupby(column, sort=False))), frame.iloc[0:0])
        parts, empty = self.cache[key]
        return parts.get(value, empty)

    def as_table(self) -> pd.DataFrame:
        """One row per métier, lists joined: for display and export."""
        df = self.metiers.merge(self.familles, on="code_famille")
        columns = [df["groupe"], df["code_famille"] + " - " + df["intitule_famille"], df["code_metier"],
                   df["intitule_metier"], df["emplois"].map(" ; ".join), df["mission"], df["autres"].map(" ; ".join),
                   df["rattachements"].map(" ; ".join)]
        out = pd.DataFrame(dict(zip(T.NOMENCLATURE_TABLE, columns)))
        return out.reset_index(drop=True)


# ---------------------------------------------------------------------------------------------


def _decode(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # "CSV (séparateur : point-virgule)" from a French Excel is Windows-1252.
        return data.decode("cp1252")


def read_table(path: Path, columns: list[str], what: str = T.NOMENCLATURE_WHAT, comments: bool = False) -> pd.DataFrame:
    """Read a CSV the observatory edits into strings, indexed by the line number where each row starts.

    ``what`` names the file in messages; with ``comments``, lines starting with ``#`` are skipped."""
    if not path.is_file():
        raise UserError(fr(T.NOMENCLATURE_MISSING_FILE, quoi=what, chemin=path))
    text = _decode(path)
    if comments:  # blanked rather than removed, so that line numbers stay those of the file
        text = "\n".join("" if line.lstrip().startswith("#") else line for line in text.split("\n"))
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max([";", ",", "\t"], key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] = []
    while not any(header):
        try:
            header = [h.strip() for h in next(reader)]
        except StopIteration:
            raise UserError(fr(T.NOMENCLATURE_EMPTY_FILE, quoi=what, chemin=path)) from None
    missing = [c for c in columns if c not in header]
    if missing:
        raise UserError(
            fr(T.NOMENCLATURE_MISSING_COLUMNS, quoi=what, fichier=path.name, n=len(missing),
               colonnes=", ".join(missing)),
            [fr(T.NOMENCLATURE_EXPECTED_COLUMNS, colonnes=" ; ".join(columns)),
             fr(T.NOMENCLATURE_FOUND_COLUMNS, colonnes=" ; ".join(header))],
        )
    rows, lines, errors = [], [], []
    start = reader.line_num + 1
    for record in reader:
        line = start
        start = reader.line_num + 1
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            errors.append(fr(T.NOMENCLATURE_FIELDS, fichier=path.name, ligne=line, n=len(record), attendus=len(header),
                             separateur=delimiter))
            continue
        rows.append({h: cell.strip() for h, cell in zip(header, record)})
        lines.append(line)
    if errors:
        raise UserError(fr(T.NOMENCLATURE_MALFORMED, quoi=what, chemin=path), errors)
    return pd.DataFrame(rows, columns=header, index=pd.Index(lines, name="ligne"), dtype=object)


def _failures_to_messages(err: pa.errors.SchemaErrors, df: pd.DataFrame, file_name: str) -> list[str]:
    messages = []
    cases = err.failure_cases
    frame_level = cases["schema_context"] == "DataFrameSchema"
    for line in cases.loc[frame_level & (cases["check"] == "nomenclature.code_prefixe_famille"), "index"].unique():
        code, family = df.loc[line, "code_metier"], df.loc[line, "code_famille"]
        what, _, todo = render("nomenclature.code_prefixe_famille", {"code": code, "famille": family})
        messages.append(fr(T.NOMENCLATURE_LINE, fichier=file_name, ligne=int(line), message=what, action=todo))
    for fc in cases[~frame_level].itertuples(index=False):
        if pd.isna(fc.index):  # a dtype failure: every cell of a CSV is text, so this is our bug
            raise RuntimeError(f"nomenclature frame broke its contract: {fc.check} on {fc.column}")
        what, expected, todo = render(str(fc.check), {"valeur": shown(fc.failure_case)})
        text = fr(T.NOMENCLATURE_CELL, fichier=file_name, ligne=int(fc.index), colonne=fc.column, message=what)
        if expected:
            text += fr(T.NOMENCLATURE_CELL_DETAIL, attendu=expected, action=todo)
        messages.append(text)
    return sorted(set(messages))


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(LIST_SEPARATOR) if part.strip()]


def _fingerprint(familles: pd.DataFrame, metiers: pd.DataFrame) -> str:
    shape = {
        "familles": familles[["code_famille", "groupe", "intitule_famille"]].values.tolist(),
        "metiers": [
            [r.code_metier, r.code_famille, r.intitule_metier, r.emplois]
            for r in metiers.itertuples(index=False)
        ],
    }
    digest = hashlib.sha256(json.dumps(shape, ensure_ascii=False).encode("utf-8")).hexdigest()
    return digest[:12]


def _load_correspondences(path: Path, codes: set[str]) -> pd.DataFrame:
    """The optional table of changes since the previous nomenclature, checked against this one."""
    columns = ["code_precedent", "code", "commentaire"]
    if not path.is_file():
        return pd.DataFrame(columns=columns)
    df = read_table(path, columns)
    problems = []
    for line, row in df.iterrows():
        for col in ("code_precedent", "code"):
            if row[col] and not re.fullmatch(r"\d{4}", row[col]):
                problems.append(fr(T.CORRESPONDENCE_CODE, fichier=path.name, ligne=line, colonne=col, code=row[col]))
        if row["code"] and row["code"] not in codes:
            problems.append(fr(T.CORRESPONDENCE_UNKNOWN, fichier=path.name, ligne=line, code=row["code"],
                               metiers=METIERS_FILE))
        if not row["code"] and not row["code_precedent"]:
            problems.append(fr(T.CORRESPONDENCE_EMPTY, fichier=path.name, ligne=line))
    if problems:
        raise UserError(fr(T.CORRESPONDENCE_INVALID, chemin=path), problems)
    return df[columns]


def load_nomenclature(folder: str | Path | None = None) -> Nomenclature:
    """Load and check the nomenclature in ``folder`` (default: the one shipped with the package).

    Raises :class:`UserError` listing every problem with its file and line.
    """
    folder = Path(folder) if folder else default_nomenclature_dir()
    fam_path, met_path = folder / FAMILLES_FILE, folder / METIERS_FILE
    familles = read_table(fam_path, list(models.FamillesCsv.to_schema().columns))
    metiers = read_table(met_path, list(models.MetiersCsv.to_schema().columns))

    problems: list[str] = []
    for model, df, path in ((models.FamillesCsv, familles, fam_path), (models.MetiersCsv, metiers, met_path)):
        try:
            model.validate(df, lazy=True)
        except pa.errors.SchemaErrors as err:
            problems += _failures_to_messages(err, df, path.name)

    known = set(familles["code_famille"])
    for line, code in metiers["code_famille"].items():
        if code not in known:
            problems.append(fr(T.NOMENCLATURE_UNKNOWN_FAMILY, fichier=met_path.name, ligne=line, code=code,
                               familles=fam_path.name))
    used = set(metiers["code_famille"])
    for line, code in familles["code_famille"].items():
        if code not in used:
            problems.append(fr(T.NOMENCLATURE_EMPTY_FAMILY, fichier=fam_path.name, ligne=line, code=code,
                               metiers=met_path.name))
    if familles.empty or metiers.empty:
        problems.append(T.NOMENCLATURE_NOTHING)
    if problems:
        raise UserError(fr(T.NOMENCLATURE_INVALID, dossier=folder), problems)

    familles = familles.sort_values("code_famille").reset_index(drop=True)
    groups = list(dict.fromkeys(familles["groupe"]))
    if len(groups) > len(ROMAN):
        raise UserError(fr(T.NOMENCLATURE_GROUPS, dossier=folder, n=len(ROMAN)))
    numero = {g: ROMAN[i] for i, g in enumerate(groups)}
    familles["numero_groupe"] = familles["groupe"].map(numero)

    metiers = metiers.sort_values("code_metier").reset_index(drop=True)
    metiers["emplois"] = metiers["emplois_rattaches"].map(_split)
    metiers["autres"] = metiers["autres_denominations"].map(_split)
    metiers["rattachements"] = metiers["rattachements_hierarchiques"].map(_split)
    metiers = metiers.drop(columns=["emplois_rattaches", "autres_denominations", "rattachements_hierarchiques"])

    lignes = []
    for m in metiers.itertuples(index=False):
        if len(m.emplois) > 1:
            for rang, emploi in enumerate(m.emplois, start=1):
                lignes.append((f"{m.code_metier}-{rang}", m.code_metier, rang, emploi))
        else:
            lignes.append((m.code_metier, m.code_metier, 0, m.emplois[0] if m.emplois else ""))
    lignes_df = models.validate(models.Lignes, pd.DataFrame(lignes, columns=["cle", "code_metier", "rang_emploi",
                                                                             "intitule_emploi"]))

    correspondances = _load_correspondences(folder / CORRESPONDENCES_FILE, set(metiers["code_metier"]))
    return Nomenclature(
        correspondances=correspondances,
        familles=familles,
        metiers=metiers,
        lignes=lignes_df,
        empreinte=_fingerprint(familles, metiers),
        source=str(folder),
        groupes=[(numero[g], g) for g in groups],
    )


def copy_nomenclature(nomenclature: Nomenclature, folder: Path) -> Path:
    """Copy a nomenclature's files into a new ``folder`` to edit: familles.csv and metiers.csv byte for byte,
    correspondances.csv with its heading only (the changes from this nomenclature are to be described)."""
    source = Path(nomenclature.source)
    if any((folder / name).exists() for name in (FAMILLES_FILE, METIERS_FILE, CORRESPONDENCES_FILE)):
        raise UserError(fr(T.NOMENCLATURE_COPY_EXISTS, dossier=folder))
    folder.mkdir(parents=True, exist_ok=True)
    for name in (FAMILLES_FILE, METIERS_FILE):
        shutil.copyfile(source / name, folder / name)
    (folder / CORRESPONDENCES_FILE).write_text(CORRESPONDENCES_HEADING + "\n", encoding="utf-8")
    return folder
