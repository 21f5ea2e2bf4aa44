"""The job-title assistant's data, as the observatory edits it: the table of abbreviations, synonyms and
context words, the starter lexicon, and the evaluation set.

Entry points: :func:`load_abbreviations`, :func:`load_starter_lexicon`, :func:`load_evaluation_set`. The
files are ``;``-separated CSV in ``pipeline/data/`` whose header comment says they are proposals for the
observatory to correct; each problem is reported with its file and line, like the nomenclature's.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pandas as pd

from .errors import UserError
from .form import KEY_NV
from .models import DataFrame, validate
from .models_titles import IntitulesCodes
from .nomenclature import Nomenclature, read_table
from .texts import fr
from .texts import matching as M
from .vocab import Reading

ABBREVIATIONS_FILE = "intitules_abreviations.csv"
STARTER_FILE = "intitules_lexique.csv"
EVALUATION_FILE = "evaluation_intitules_rh.csv"
CONTROL_FILE = "evaluation_intitules_rh_controle.csv"
VARIANTS_FILE = "evaluation_intitules.csv"
READINGS_NEEDED = {Reading.ABBREVIATION, Reading.SYNONYM, Reading.SERVICE}


def data_path(name: str) -> Path:
    return Path(str(resources.files("pipeline") / "data" / name))


def _raise(problems: list[str], path: Path) -> None:
    if problems:
        raise UserError(fr(M.DATA_INVALID, chemin=path), problems)


def load_abbreviations(path: str | Path | None = None) -> pd.DataFrame:
    """forme, lecture, nature (a :class:`~pipeline.core.vocab.Reading`), indexed by the file's line."""
    path = Path(path) if path else data_path(ABBREVIATIONS_FILE)
    df = read_table(path, ["forme", "lecture", "nature"], M.ABBREVIATIONS_WHAT, comments=True)
    problems = []
    natures = {r.value for r in Reading}
    for line, row in df.iterrows():
        if not row["forme"]:
            problems.append(fr(M.DATA_EMPTY, fichier=path.name, ligne=line, colonne="forme"))
        if row["nature"] not in natures:
            problems.append(fr(M.DATA_NATURE, fichier=path.name, ligne=line, nature=row["nature"],
                               natures=", ".join(sorted(natures))))
        elif row["nature"] in READINGS_NEEDED and not row["lecture"]:
            problems.append(fr(M.DATA_EMPTY, fichier=path.name, ligne=line, colonne="lecture"))
    _raise(problems, path)
    return df[["forme", "lecture", "nature"]]


def keys_of(nomenclature: Nomenclature) -> set[str]:
    """The codes a title can be placed on: every template row key, and NV."""
    return set(nomenclature.lignes["cle"]) | {KEY_NV}


def _titles(path: Path, columns: list[str], what: str, nomenclature: Nomenclature) -> pd.DataFrame:
    df = read_table(path, columns, what, comments=True)
    known = keys_of(nomenclature)
    problems = []
    for line, row in df.iterrows():
        if not row["intitule"]:
            problems.append(fr(M.DATA_EMPTY, fichier=path.name, ligne=line, colonne="intitule"))
        if row["code"] not in known:
            problems.append(fr(M.DATA_CODE, fichier=path.name, ligne=line, code=row["code"]))
    _raise(problems, path)
    return df[columns].rename(columns={"code": "cle"}).reset_index(drop=True)


def load_starter_lexicon(nomenclature: Nomenclature, path: str | Path | None = None) -> DataFrame[IntitulesCodes]:
    """Common titles and where they go, as proposed to the observatory."""
    return validate(IntitulesCodes, _titles(Path(path) if path else data_path(STARTER_FILE), ["intitule", "code"],
                                            M.STARTER_WHAT, nomenclature).astype(str))


def load_evaluation_set(nomenclature: Nomenclature, path: str | Path | None = None) -> pd.DataFrame:
    """societe, intitule, cle: titles written as HR systems write them, labelled from the definitions."""
    return _titles(Path(path) if path else data_path(EVALUATION_FILE), ["societe", "intitule", "code"],
                   M.EVALUATION_WHAT, nomenclature)


def load_control_set(nomenclature: Nomenclature) -> pd.DataFrame:
    """The same, written after the assistant was tuned: a check that the measure was not fitted to the first."""
    return load_evaluation_set(nomenclature, data_path(CONTROL_FILE))


def load_variants(nomenclature: Nomenclature) -> pd.DataFrame:
    """intitule, cle: titles worded like the nomenclature (gender, seniority, word order) — a regression set."""
    return _titles(data_path(VARIANTS_FILE), ["intitule", "code"], M.EVALUATION_WHAT, nomenclature)
