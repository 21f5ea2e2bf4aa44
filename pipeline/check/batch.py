"""Checks of a whole batch of returns: the raw cells of every file validated at once (pandera), the
declared totals, two files for one company, a file named after another company than its template's, and each
entry's final status.

Entry point: :func:`check_batch`, over the :class:`~pipeline.check.workbook.FileCheck` of every entry
of the input folder. Its result, :class:`Checked`, is what the folder holds *now*; the figures to
consolidate come from the history (every company's latest accepted submission).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import pandera.pandas as pa

from ..core import form, models
from ..core.breakdowns import ETP
from ..core.campaign import Campaign
from ..core.columns import Shared, object_array, text_column
from ..core.layout import build_layout
from ..core.models import EFFECTIF_MAX_PAR_LIGNE, DataFrame
from ..core.models_etp import SaisiesEtp
from ..core.texts import value as shown
from ..core.texts.messages import rendered
from ..core.vocab import EFFECTIF, TOUT, Level, Severity, Status
from .breakdowns import breakdown_messages, not_given
from .identity import NAMED, SET_ASIDE, flag_other_names
from .values import tagged_kind
from .workbook import FileCheck

ERROR, WARNING = Severity.ERROR, Severity.WARNING
MESSAGE_COLUMNS = ["fichier", "societe", "feuille", "cellule", "cle", "gravite", "code", "params"]
CELL_COLUMNS = ["fichier", "societe", "feuille", "cellule", "cle", "mesure", "categorie", "brut", "nombre"]
TEXT_CELL_COLUMNS = CELL_COLUMNS[:7]
FIGURE_COLUMNS = ["campagne", "societe", "cle", "mesure", "categorie", "valeur"]


@dataclass(frozen=True)
class Checked:
    """What the input folder holds now, checked."""

    campaign: Campaign
    fichiers: DataFrame[models.Fichiers]          # one row per entry, in folder order
    messages: DataFrame[models.Messages]
    chiffres: DataFrame[models.Chiffres]          # the figures of the accepted files
    saisies: DataFrame[models.Saisies]            # every input cell of every readable file, raw
    commentaires: DataFrame[models.Commentaires]  # what HR wrote beside the figures
    declarations: pd.DataFrame  # accepted files: fichier, societe, ventiles, non_ventiles, total_declare
    hashes: dict[str, str] = field(default_factory=dict)  # file -> sha256 of the bytes checked
    en_attente: frozenset[str] = frozenset()  # files rejected only because another file has the same company

    def settled(self, keep: Collection[str] = ()) -> Checked:
        """The same once the history holds its figures: the figures (``chiffres``) let go, and the input cells
        (``saisies``) but those of the files in ``keep`` (the files sent back need theirs). At 10,000 returns the
        cells are some 50 MB and the figures some 55 MB, which the consolidation would otherwise hold beside the
        same figures read back from the history."""
        # Taken with a mask, hence copied: a slice (``iloc[0:0]``) would be a view of the batch's columns, keeping
        # every cell alive behind an empty frame.
        return replace(self, saisies=self.saisies[self.saisies["fichier"].isin(keep)],
                       chiffres=self.chiffres[np.zeros(len(self.chiffres), dtype=bool)])

    @property
    def acceptees(self) -> list[str]:
        return list(self.declarations["societe"])

    @property
    def manquantes(self) -> pd.DataFrame:
        """Expected companies that no file in the folder claims."""
        claimed = set(self.fichiers["societe"])
        societes = self.campaign.societes
        return societes.loc[~societes["identifiant"].isin(claimed), ["identifiant", "raison_sociale"]] \
            .reset_index(drop=True)

    def absent(self, retenues: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The expected companies no file in the folder claims (:attr:`manquantes`), split by the history's retained
        submissions (:class:`~pipeline.core.models.Retenues`): those with none (« sans retour ») and those whose
        latest accepted file, since taken out of the folder, still counts (with its ``fichier`` and ``recu_le``)."""
        missing = self.manquantes
        kept = missing["identifiant"].isin(retenues["identifiant"]) if retenues is not None else \
            pd.Series(False, index=missing.index)
        still = missing[kept].merge(retenues[["identifiant", "fichier", "recu_le"]], on="identifiant") \
            if kept.any() else pd.DataFrame(columns=["identifiant", "raison_sociale", "fichier", "recu_le"])
        return missing[~kept].reset_index(drop=True), still.reset_index(drop=True)

    @property
    def effectifs(self) -> pd.DataFrame:
        """The accepted headcounts, one row per (company, row key) — the declared total excepted."""
        return headcounts(self.chiffres)

    @property
    def rendered_messages(self) -> pd.DataFrame:
        """:attr:`messages` with their French texts (message, attendu, action)."""
        return rendered(self.messages)


def headcounts(chiffres: DataFrame[models.Chiffres]) -> pd.DataFrame:
    """The headcounts of figures, one row per (company, row key) — the declared total excepted."""
    head = chiffres[(chiffres["mesure"] == EFFECTIF) & (chiffres["categorie"] == TOUT)
                    & (chiffres["cle"] != form.KEY_TOTAL)]
    return pd.DataFrame({"societe": head["societe"], "cle": head["cle"],
                         "effectif": head["valeur"].round().astype(int)}, copy=False).reset_index(drop=True)


def _frame(rows: list, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns, dtype=object) if rows else pd.DataFrame(
        {c: pd.Series(dtype=object) for c in columns})


class Cells:
    """The input cells of a batch (:data:`CELL_COLUMNS`), gathered file by file as the checks arrive: as
    columns, the strings that repeat (cell references, row keys, measures) stored once, and each file's own
    list of cells emptied once added. Ten thousand returns hold some 450,000 cells: as one tuple and a few
    strings each they took about 8 KB per file, besides the batch's frame."""

    def __init__(self) -> None:
        self._files: list[tuple[str, str, str, int]] = []  # fichier, societe, feuille, number of cells
        self._columns: dict[str, list] = {c: [] for c in CELL_COLUMNS[3:]}
        self._shared = Shared()

    def add(self, check: FileCheck) -> None:
        """``check``'s cells, in their order; its list is emptied (the cells now live here)."""
        if not check.cells:
            return
        self._files.append((check.fichier, check.societe, check.feuille, len(check.cells)))
        share = self._shared.__getitem__
        for name, values in zip(CELL_COLUMNS[3:], zip(*check.cells)):
            self._columns[name].extend(map(share, values) if name in ("cellule", "cle", "mesure", "categorie")
                                       else values)
        check.cells = []

    def frame(self) -> pd.DataFrame:
        """The cells as a frame indexed 0..n-1 (what :class:`models.Saisies` validates): its text columns typed
        ``str``, ``brut`` and ``nombre`` as objects. Each column gathered so far is handed over and typed one at a
        time, never the whole batch twice (a copy of its text columns is some 25 MB at 10,000 returns)."""
        if not self._files:
            return _frame([], CELL_COLUMNS).astype(dict.fromkeys(TEXT_CELL_COLUMNS, str))
        counts = [n for *_, n in self._files]
        data = {name: text_column(np.repeat(np.array([f[i] for f in self._files], dtype=object), counts))
                for i, name in enumerate(CELL_COLUMNS[:3])}
        for name in CELL_COLUMNS[3:]:
            values, self._columns[name] = object_array(self._columns[name]), []
            # Typed here, ``object`` included: left to infer, pandas scans an object column through temporary
            # arrays some five times its size.
            text = name in TEXT_CELL_COLUMNS
            data[name] = text_column(values) if text else pd.Series(values, dtype=object, copy=False)
            del values
        self._files = []
        return pd.DataFrame(data, columns=CELL_COLUMNS, copy=False)  # the default copies every column


def check_batch(campaign: Campaign, checks: list[FileCheck], cells: Cells | None = None) -> Checked:
    """The batch-wide checks over the per-file ones; every entry ends with a status. ``cells``: the input cells
    of ``checks`` already gathered (:class:`Cells`); by default they are taken from ``checks``."""
    reports = {c.fichier: c for c in checks}
    _withdrawn(checks)
    flag_other_names(campaign, checks)
    if cells is None:
        cells = Cells()
        for c in checks:
            cells.add(c)
    raw = cells.frame()
    raw.index = pd.RangeIndex(len(raw))
    _cell_messages(raw, reports)

    # Every cell with its value, those of the files with errors included (their value NaN: the cells failing a
    # check above may hold no number): below, only the figures of files without errors are used. Columns of the
    # batch's frame, not a copy of them (some 20 MB at 10,000 returns).
    errors = [c.fichier for c in checks if c.has_errors]
    clean = ~raw["fichier"].isin(errors).to_numpy(dtype=bool)
    valeur = np.full(len(raw), np.nan)
    valeur[clean] = np.fromiter((0.0 if v is None else float(v) for v in raw["nombre"].to_numpy()[clean]),
                                dtype=float, count=int(clean.sum()))
    valid = raw[["fichier", "societe", "cle", "mesure", "categorie", "nombre"]].assign(valeur=valeur)
    del valeur
    decl = _declarations(campaign, checks, valid)
    _declaration_messages(decl, reports)
    if campaign.saisie.any:
        breakdown_messages(campaign, raw, reports)
        valid = not_given(campaign, valid)
    pending = _duplicates(campaign, checks, reports)

    for report in checks:
        if not report.statut:
            warned = any(m.gravite == WARNING for m in report.messages)
            report.statut = Status.REJECTED if report.has_errors else Status.WARNED if warned else Status.ACCEPTED
    accepted = {c.fichier for c in checks if Status(c.statut).accepted}
    decl = decl[decl["fichier"].isin(accepted)].reset_index(drop=True)
    return Checked(
        campaign=campaign,
        fichiers=_files(checks),
        messages=_messages(checks),
        chiffres=_figures(campaign, valid, accepted),
        saisies=raw,
        # an ignored file (a byte-identical copy) counts for nothing: neither do its comments
        commentaires=_frame([(c.fichier, c.societe, c.feuille, cell, cle, text, source) for c in checks
                             if c.statut != Status.IGNORED for cle, cell, text, source in c.comments],
                            ["fichier", "societe", "feuille", "cellule", "cle", "texte", "source"]),
        declarations=decl,
        hashes={c.fichier: c.sha256 for c in checks if c.sha256},
        en_attente=frozenset(pending),
    )


def _cell_messages(raw: pd.DataFrame, reports: dict[str, FileCheck]) -> None:
    """The pandera checks of every raw cell of the batch; each failure back to its file and cell."""
    etp = raw["mesure"] == ETP
    if etp.any():
        _validate_cells(SaisiesEtp, raw[etp], reports)
        raw = raw[~etp]
    _validate_cells(models.Saisies, raw, reports)


def _validate_cells(model, raw: pd.DataFrame, reports: dict[str, FileCheck]) -> None:
    try:
        model.validate(raw, lazy=True)
    except pa.errors.SchemaErrors as err:
        for fc in err.failure_cases.itertuples(index=False):
            if pd.isna(fc.index):
                continue  # a dtype failure of the whole column: the object columns are ours to type
            cell = raw.loc[int(fc.index)]
            code, value = str(fc.check), cell["nombre"]
            tag = tagged_kind(value)
            if tag is not None:
                code, value = f"valeur.{tag[0]}", tag[1]
            elif isinstance(cell["brut"], str) and code == "valeur.texte":
                value = cell["brut"]
            reports[cell["fichier"]].add(ERROR, code, feuille=cell["feuille"], cellule=cell["cellule"],
                                         cle=cell["cle"], valeur=shown(value), max=EFFECTIF_MAX_PAR_LIGNE)


def _declarations(campaign: Campaign, checks: list[FileCheck], valid: pd.DataFrame) -> pd.DataFrame:
    """Per readable file: the declared total and the recomputed ones (headcount)."""
    kind = {row.cle: row.niveau for row in build_layout(campaign.nomenclature) if row.is_input}
    # On the columns needed, never a copy of the batch's frame (450,000 cells at 10,000 returns).
    head = ((valid["mesure"] == EFFECTIF) & (valid["categorie"] == TOUT)).to_numpy(dtype=bool)
    fichier, cle, valeur, nombre = (valid[c].to_numpy()[head] for c in ("fichier", "cle", "valeur", "nombre"))
    level = pd.Series(cle).map(kind)

    def per_file(levels: list[Level]) -> pd.Series:
        where = level.isin(levels).to_numpy(dtype=bool)
        return pd.Series(valeur[where]).groupby(fichier[where]).sum()

    ventiles, non_ventiles = per_file([Level.METIER, Level.EMPLOI]), per_file([Level.NON_VENTILES])
    total = cle == form.KEY_TOTAL
    totals = pd.Series(nombre[total], index=fichier[total])
    rows = []
    for c in checks:
        if c.has_errors or not c.societe or c.statut:
            continue
        total = totals.get(c.fichier)
        rows.append(dict(fichier=c.fichier, societe=c.societe, feuille=c.feuille, cellule_total=c.total_cell,
                         ventiles=int(ventiles.get(c.fichier, 0)), non_ventiles=int(non_ventiles.get(c.fichier, 0)),
                         total_declare=None if total is None or pd.isna(total) else int(total)))
    df = pd.DataFrame(rows, columns=["fichier", "societe", "feuille", "cellule_total", "ventiles", "non_ventiles",
                                     "total_declare"])
    return df.astype({"ventiles": int, "non_ventiles": int, "total_declare": object})


def _declaration_messages(decl: pd.DataFrame, reports: dict[str, FileCheck]) -> None:
    if decl.empty:
        return  # no readable return: pandera could only find that the empty columns have no type
    try:
        models.Declarations.validate(decl, lazy=True)
    except pa.errors.SchemaErrors as err:
        failing = err.failure_cases.dropna(subset=["index"]).drop_duplicates(["check", "index"])
        for fc in failing.itertuples(index=False):
            d = decl.loc[int(fc.index)]
            v, nv = int(d["ventiles"]), int(d["non_ventiles"])
            params = dict(ventiles=v, non_ventiles=nv, somme=v + nv)
            if fc.check == "total.ecart":
                params.update(total=int(d["total_declare"]), ecart=int(d["total_declare"]) - v - nv)
            reports[d["fichier"]].add(ERROR, str(fc.check), feuille=d["feuille"], cellule=d["cellule_total"],
                                      cle=form.KEY_TOTAL, **params)


def _withdrawn(checks: list[FileCheck]) -> None:
    """A file attributed by its name alone (:func:`~pipeline.check.identity.attribute_by_name`) yields to a file its
    company's content claims: it is then no company's (the secretary's), neither blocking that file as a second
    one of the company nor sent back to it (a PDF print beside the workbook)."""
    claimed = {c.societe for c in checks if c.societe and not any(m.code == NAMED for m in c.messages)}
    for c in checks:
        if c.societe in claimed and any(m.code == NAMED for m in c.messages):
            c.messages = [replace(m, code=SET_ASIDE) if m.code == NAMED else m for m in c.messages]
            c.societe = ""


def _duplicates(campaign: Campaign, checks: list[FileCheck], reports: dict[str, FileCheck]) -> set[str]:
    """Two files for one company: neither is used until one is removed. Returns the files waiting only
    for that."""
    by_company: dict[str, list[str]] = {}
    for c in checks:
        if c.societe and not c.statut:
            by_company.setdefault(c.societe, []).append(c.fichier)
    pending = set()
    for company, files in by_company.items():
        if len(files) < 2:
            continue
        if len({reports[f].sha256 for f in files}) == 1 and reports[files[0]].sha256:
            # One file twice (a copy kept beside it): counted once, under the template's name when it has it.
            kept, *copies = sorted(files, key=lambda f: (f != campaign.template_name(company), f))
            for f in copies:
                reports[f].messages = []
                reports[f].add(Severity.INFO, "entree.copie", fichier=kept)
                reports[f].statut = Status.IGNORED
            continue
        for f in files:
            alone = not reports[f].has_errors
            reports[f].add(ERROR, "societe.plusieurs_fichiers", societe=campaign.raison_sociale(company),
                           autres=", ".join(o for o in files if o != f))
            if alone:
                pending.add(f)
    return pending


def _files(checks: list[FileCheck]) -> pd.DataFrame:
    rows = [(c.fichier, c.societe, str(c.statut), sum(m.gravite == ERROR for m in c.messages),
             sum(m.gravite == WARNING for m in c.messages)) for c in checks]
    df = pd.DataFrame(rows, columns=["fichier", "societe", "statut", "erreurs", "avertissements"])
    return models.validate(models.Fichiers, df.astype({"fichier": str, "societe": str, "statut": str, "erreurs": int,
                                                       "avertissements": int}))


_CELL = re.compile(r"([A-Z]+)(\d+)$")


def _message_order(cellule: str) -> tuple:
    """File-level messages first, then in the sheet's reading order."""
    match = _CELL.match(cellule)
    if not match:
        return (0, 0, "")
    return (1, int(match.group(2)), match.group(1).rjust(3))


def _messages(checks: list[FileCheck]) -> pd.DataFrame:
    rows = [(c.fichier, c.societe, m.feuille, m.cellule, m.cle, m.gravite, m.code, m.params)
            for c in checks for m in sorted(c.messages, key=lambda m: _message_order(m.cellule))]
    return _frame(rows, MESSAGE_COLUMNS)


def _figures(campaign: Campaign, cells: pd.DataFrame, accepted: set[str]) -> pd.DataFrame:
    """The figures of the ``accepted`` files, each column taken from ``cells`` once (no copy of the frame)."""
    keep = (cells["fichier"].isin(accepted)
            & ~((cells["mesure"] == ETP) & cells["nombre"].isna())).to_numpy(dtype=bool)  # ETP not given: not 0 ETP

    def column(name: str, dtype) -> pd.Series:
        return cells[name][keep].astype(dtype).reset_index(drop=True)

    df = pd.DataFrame({"campagne": campaign.identifiant, **{c: column(c, str) for c in FIGURE_COLUMNS[1:5]},
                       "valeur": column("valeur", float)}, columns=FIGURE_COLUMNS, copy=False)
    return models.validate(models.Chiffres, df)


def with_messages(checked: Checked, extra: DataFrame[models.Messages]) -> Checked:
    """``checked`` with more messages about its files (same columns), statuses and counts updated:
    a warning turns "accepté" into "accepté avec avertissements"; information changes no status."""
    if extra.empty:
        return checked
    order = {f: i for i, f in enumerate(checked.fichiers["fichier"])}
    messages = pd.concat([checked.messages, extra[MESSAGE_COLUMNS]], ignore_index=True)
    messages = messages.assign(_f=messages["fichier"].map(order)).sort_values("_f", kind="stable") \
        .drop(columns="_f").reset_index(drop=True)
    fichiers = checked.fichiers.copy()
    warnings_per_file = messages[messages["gravite"] == WARNING].groupby("fichier").size()
    fichiers["avertissements"] = fichiers["fichier"].map(warnings_per_file).fillna(0).astype(int)
    fichiers.loc[(fichiers["statut"] == Status.ACCEPTED) & (fichiers["avertissements"] > 0), "statut"] = \
        str(Status.WARNED)
    return replace(checked, messages=messages, fichiers=fichiers)
