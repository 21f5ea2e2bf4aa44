"""Job-title mapping assistant: from a company's own job titles to the branch métiers.

Entry points: :func:`read_export` (a company's HR export), :func:`suggest` (a proposal per distinct
title), :func:`write_review` (the workbook HR check), :func:`review_to_values` (the reviewed workbook
back to headcounts per row of the template) and :func:`evaluate` (measured accuracy).

Matching: titles are normalised (case, accents, gendered forms "(e)", "(trice)", "f/h", feminine
endings, seniority words, common abbreviations, plurals, word order) and compared with every label
of the nomenclature — métier titles, emplois rattachés, autres dénominations — by a weighted Dice
coefficient over tokens: tokens match when rapidfuzz finds them close (typos, truncations), and each
token weighs its inverse document frequency over the labels, so that "assistance", present
everywhere, counts less than "réservation". A proposal is *confident* when its score and its margin
over the next métier pass the thresholds; any other title is flagged for a person to decide.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz, process

from .campaign import Campaign
from .errors import UserError
from .nomenclature import Nomenclature
from .templates import KEY_NV, KEY_TOTAL

# Thresholds of a confident proposal, chosen on the evaluation set (see evaluate()).
MIN_SCORE = 0.65
MIN_MARGIN = 0.08
TOKEN_MATCH = 84  # rapidfuzz ratio for two tokens to count as the same word
MIN_ALTERNATIVE = 0.10  # an alternative scoring less is no alternative

SENIORITY = {"junior", "senior", "confirme", "expert", "referent", "debutant", "aide", "principal", "adjoint",
             "sr", "jr", "n1", "n2", "n3", "niveau", "i", "ii", "iii", "1", "2", "3", "hf", "fh"}
STOPWORDS = {"de", "du", "des", "d", "la", "le", "les", "l", "et", "en", "a", "au", "aux", "pour", "par", "sur",
             "un", "une", "ou", "avec", "dans"}
ABBREVIATIONS = {
    "resp": "responsable", "respons": "responsable", "tech": "technicien", "techn": "technicien",
    "gest": "gestionnaire", "gestion": "gestionnaire", "assist": "assistant", "asst": "assistant",
    "ass": "assistant", "coord": "coordinateur", "cdp": "chef projet", "info": "informatique",
    "dev": "developpement", "develop": "developpement", "compta": "comptabilite", "rh": "ressources humaines",
    "med": "medecin", "inf": "infirmier", "admin": "administratif", "adm": "administratif", "sec": "secretaire",
    "secr": "secretaire", "chg": "charge", "ch": "charge", "animat": "animateur", "regul": "regulation",
    "reseaux": "reseau", "commerc": "commercial", "dir": "directeur", "drh": "directeur ressources humaines",
    "dg": "directeur general", "pdg": "directeur general", "daf": "directeur financier",
}
# Feminine (or gender-neutral) endings brought back to one form, longest first.
ENDINGS = [("trices", "teur"), ("trice", "teur"), ("iennes", "ien"), ("ienne", "ien"), ("euses", "eur"),
           ("euse", "eur"), ("ieres", "ier"), ("iere", "ier"), ("eres", "er"), ("ere", "er"), ("ives", "if"),
           ("ive", "if"), ("elles", "el"), ("elle", "el"), ("antes", "ant"), ("ante", "ant"), ("entes", "ent"),
           ("ente", "ent"), ("ees", "e"), ("ee", "e"), ("esse", "e")]
# Titles that place staff outside the métiers: direction functions (seed, section 1.1).
NOT_VENTILATED = ["Directeur général", "Directeur", "Président", "Directeur des ressources humaines",
                  "Directeur financier", "Directeur des opérations", "Secrétaire général", "Membre du comité de direction"]


def normalize(title: str) -> list[str]:
    """The tokens that carry a job title's meaning."""
    text = unicodedata.normalize("NFKD", str(title)).encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"\b[fh]\s*/\s*[fh]\b", " ", text)                      # f/h, H/F
    text = re.sub(r"\(\s*(e|ne|trice|euse|ve|le|fe|se|es|s|x|ere|ice)\s*\)", "", text)  # charge(e), animateur(trice)
    text = re.sub(r"[^a-z0-9]+", " ", text)
    tokens = []
    for token in text.split():
        token = ABBREVIATIONS.get(token, token)
        for word in token.split():
            if word in STOPWORDS or word in SENIORITY:
                continue
            for ending, replacement in ENDINGS:
                if word.endswith(ending) and len(word) > len(ending) + 2:
                    word = word[: -len(ending)] + replacement
                    break
            if len(word) > 3 and word.endswith(("s", "x")) and not word.endswith(("ss", "us")):
                word = word[:-1]
            if word not in SENIORITY and word not in STOPWORDS:  # "confirmée" is "confirmé" once folded
                tokens.append(word)
    return tokens


# A métier's own title or emploi rattaché speaks for it more than one of its "autres dénominations",
# which the nomenclature sometimes lists under two métiers (e.g. "Chargé(e) d'assistance" under 0106).
OWN_TITLE, OTHER_NAME = 1.0, 0.85


@dataclass(frozen=True)
class Label:
    key: str          # a row key of the template: "0102", "0101-1", or "NV"
    code: str         # the métier code, or "NV"
    text: str         # as written in the nomenclature
    tokens: tuple[str, ...]
    authority: float = OWN_TITLE


def labels_of(nomenclature: Nomenclature, exclude: set[tuple[str, str]] | None = None) -> list[Label]:
    """Every label of the nomenclature, each tied to the template row it places staff on.

    ``exclude``: (code, text) labels to leave out (to evaluate a title without its own label).
    """
    exclude = exclude or set()
    out = []
    for m in nomenclature.metiers.itertuples(index=False):
        keys = list(nomenclature.lignes_du_metier(m.code_metier)["cle"])
        texts = [(keys[0], m.intitule_metier, OWN_TITLE)]
        texts += [(keys[i] if len(keys) > 1 else keys[0], e, OWN_TITLE) for i, e in enumerate(m.emplois)]
        texts += [(keys[0], a, OTHER_NAME) for a in m.autres]
        out += [Label(key, m.code_metier, text, tuple(normalize(text)), weight) for key, text, weight in texts]
    out += [Label(KEY_NV, KEY_NV, t, tuple(normalize(t))) for t in NOT_VENTILATED]
    return [l for l in out if l.tokens and (l.code, l.text) not in exclude]


class Matcher:
    """Scores a title against every label; one instance per nomenclature (and exclusion set)."""

    def __init__(self, nomenclature: Nomenclature, exclude: set[tuple[str, str]] | None = None):
        self.nomenclature = nomenclature
        self.labels = labels_of(nomenclature, exclude)
        vocabulary: dict[str, int] = {}
        for label in self.labels:
            for t in set(label.tokens):
                vocabulary[t] = vocabulary.get(t, 0) + 1
        n = len(self.labels)
        self.weight = {t: math.log(1 + n / c) for t, c in vocabulary.items()}
        self.vocabulary = list(vocabulary)
        self.titles = dict(zip(nomenclature.metiers["code_metier"], nomenclature.metiers["intitule_metier"]))
        self.titles[KEY_NV] = "Non ventilé dans une fiche métier"

    def _aliases(self, token: str) -> dict[str, float]:
        """Vocabulary words close to a title's token, with the closeness (0–1)."""
        found = process.extract(token, self.vocabulary, scorer=fuzz.ratio, score_cutoff=TOKEN_MATCH, limit=5)
        # Close spellings of one word share its beginning ("comptable", "comptabilité"); words that
        # merely rhyme do not ("information", "formation").
        return {word: score / 100 for word, score, _ in found if word[:3] == token[:3]}

    def scores(self, title: str) -> pd.DataFrame:
        """Best score per row key, with the label that gave it; highest first."""
        tokens = normalize(title)
        if not tokens:
            return pd.DataFrame(columns=["cle", "code", "score", "label"])
        aliases = [self._aliases(t) for t in tokens]
        unknown = max(self.weight.values(), default=1.0)
        q_weight = [max((self.weight[w] for w in a), default=unknown) for a in aliases]
        best: dict[str, tuple[float, str, str]] = {}
        for label in self.labels:
            l_weight = sum(self.weight[t] for t in label.tokens)
            shared = 0.0
            for a, w in zip(aliases, q_weight):
                # Weighted Dice: a matched pair counts the lighter of its two words.
                shared += max((a[t] * min(w, self.weight[t]) for t in label.tokens if t in a), default=0.0)
            score = label.authority * 2 * shared / (sum(q_weight) + l_weight)
            if score > best.get(label.key, (-1.0,))[0]:
                best[label.key] = (score, label.code, label.text)
        df = pd.DataFrame([(k, c, s, t) for k, (s, c, t) in best.items()], columns=["cle", "code", "score", "label"])
        return df.sort_values(["score", "cle"], ascending=[False, True]).reset_index(drop=True)

    def propose(self, title: str) -> dict:
        """The proposal for one title: the best row, two alternatives of other métiers, a verdict."""
        ranked = self.scores(title)
        if ranked.empty:
            return dict(cle="", code="", score=0.0, label="", alternatives=[], confiant=False,
                        motif="intitulé vide ou sans mot significatif")
        top = ranked.iloc[0]
        others = ranked[ranked["code"] != top["code"]].drop_duplicates("code")
        runner = float(others["score"].iloc[0]) if len(others) else 0.0
        margin = float(top["score"]) - runner
        if top["score"] < MIN_SCORE:
            motif = "rapprochement faible"
        elif margin < MIN_MARGIN:
            motif = f"ambigu avec {others['code'].iloc[0]} {self.titles[others['code'].iloc[0]]}"
        else:
            motif = ""
        return dict(cle=top["cle"], code=top["code"], score=float(top["score"]), label=top["label"],
                    alternatives=[(r.cle, r.code, float(r.score)) for r in others.head(2).itertuples(index=False)
                                  if r.score >= MIN_ALTERNATIVE],
                    confiant=not motif, motif=motif)


# ---------------------------------------------------------------------------------------------
# A company's export
# ---------------------------------------------------------------------------------------------

TITLE_COLUMNS = ["intitulé de poste", "intitule de poste", "intitulé du poste", "intitulé", "intitule", "poste",
                 "emploi", "libellé emploi", "libelle emploi", "libellé du poste", "fonction", "job title"]
COUNT_COLUMNS = ["effectif", "effectifs", "nombre", "nb", "nombre de salariés", "headcount"]


def _norm_header(text: object) -> str:
    return unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode("ascii").strip().lower()


def read_export(path: str | Path, title_column: str | None = None, count_column: str | None = None) -> pd.DataFrame:
    """Distinct job titles with their headcount, from an .xlsx or .csv export.

    Columns are found by name (French defaults, or the names given); without a headcount column every
    row is one employee.
    """
    path = Path(path)
    if not path.is_file():
        raise UserError(f"Export introuvable : {path}")
    if path.suffix.lower() == ".csv":
        data = path.read_bytes()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252")
        first = text.splitlines()[0] if text.strip() else ""
        delimiter = max([";", ",", "\t"], key=first.count)
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    elif path.suffix.lower() == ".xlsx":
        import openpyxl
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
        wb.close()
    else:
        raise UserError(f"Export {path.name} : format non reconnu", ["fournissez un fichier .xlsx ou .csv"])
    rows = [r for r in rows if any(v not in (None, "") for v in r)]
    if not rows:
        raise UserError(f"Export {path.name} : fichier vide")
    header = [_norm_header(h) for h in rows[0]]

    def find(wanted: list[str], given: str | None, what: str) -> int | None:
        names = [_norm_header(given)] if given else [_norm_header(w) for w in wanted]
        for name in names:
            if name in header:
                return header.index(name)
        if given:
            raise UserError(f"Export {path.name} : colonne « {given} » introuvable",
                            [f"colonnes présentes : {', '.join(str(h) for h in rows[0])}"])
        return None

    t = find(TITLE_COLUMNS, title_column, "intitulé")
    if t is None:
        raise UserError(f"Export {path.name} : colonne des intitulés de poste introuvable",
                        [f"colonnes présentes : {', '.join(str(h) for h in rows[0])}",
                         "nommez-la « Intitulé de poste » ou indiquez-la avec --colonne-intitule"])
    c = find(COUNT_COLUMNS, count_column, "effectif")
    records, problems = [], []
    for line, r in enumerate(rows[1:], start=2):
        title = str(r[t]).strip() if t < len(r) and r[t] is not None else ""
        if not title:
            continue
        if c is None:
            count = 1
        else:
            raw = r[c] if c < len(r) else None
            try:
                count = float(str(raw).replace(",", ".").replace("\u00a0", "").replace(" ", ""))
            except ValueError:
                problems.append(f"ligne {line} : effectif « {raw} » illisible pour « {title} »")
                continue
            if not count.is_integer() or count < 0:
                problems.append(f"ligne {line} : effectif {raw} pour « {title} » (un nombre entier de personnes)")
                continue
        records.append((title, int(count)))
    if problems:
        raise UserError(f"Export {path.name} : effectifs illisibles", problems)
    df = pd.DataFrame(records, columns=["intitule", "effectif"])
    return df.groupby("intitule", sort=True, as_index=False)["effectif"].sum()


def suggest(campaign: Campaign, export: pd.DataFrame) -> pd.DataFrame:
    """One proposal per distinct title of the export."""
    matcher = Matcher(campaign.nomenclature)
    emplois = {r.cle: r.intitule_emploi for r in campaign.nomenclature.lignes.itertuples(index=False)
               if r.rang_emploi > 0}  # the emploi rattaché of a row, for métiers split into several
    rows = []
    for r in export.itertuples(index=False):
        p = matcher.propose(r.intitule)
        alts = [f"{c} {matcher.titles[code]} ({s:.0%})".replace("%", " %") for c, code, s in p["alternatives"]]
        rows.append(dict(intitule=r.intitule, effectif=int(r.effectif), cle=p["cle"],
                         metier=matcher.titles.get(p["code"], ""), emploi=emplois.get(p["cle"], ""),
                         confiance=p["score"], a_verifier=p["motif"],
                         alternative_1=alts[0] if alts else "", alternative_2=alts[1] if len(alts) > 1 else ""))
    return pd.DataFrame(rows)


def evaluation_titles() -> pd.DataFrame:
    path = Path(str(resources.files("pipeline") / "data" / "evaluation_intitules.csv"))
    return pd.read_csv(path, sep=";", comment="#", dtype=str, keep_default_na=False)


def evaluate(nomenclature: Nomenclature) -> dict:
    """Accuracy of the proposals on the evaluation set.

    Seed labels (emplois rattachés and autres dénominations) are matched leave-one-out — never against
    themselves nor against an identical label listed under another métier; the written variants (gender, seniority, abbreviations, word order) against the whole
    nomenclature. Top-1 and top-3 are measured at the métier level on the titles not flagged.
    """
    cases, ambiguous = [], []
    owners: dict[tuple[str, ...], set[str]] = {}
    for label in labels_of(nomenclature):
        owners.setdefault(label.tokens, set()).add(label.code)
    for m in nomenclature.metiers.itertuples(index=False):
        for text in [*m.emplois, *m.autres]:
            if text == m.intitule_metier:
                continue
            if len(owners.get(tuple(normalize(text)), set())) > 1:
                ambiguous.append(text)  # the same words name another métier too: no matcher can tell
                continue
            cases.append((text, m.code_metier, "nomenclature (sans elle-même)", {(m.code_metier, text)}))
    for r in evaluation_titles().itertuples(index=False):
        cases.append((r.intitule, r.code, "variante rédigée", set()))
    matchers: dict[frozenset, Matcher] = {}
    results = []
    for text, expected, source, exclude in cases:
        key = frozenset(exclude)
        matcher = matchers.setdefault(key, Matcher(nomenclature, exclude))
        p = matcher.propose(text)
        ranked = matcher.scores(text).drop_duplicates("code")["code"].tolist()
        results.append(dict(intitule=text, attendu=expected, propose=p["code"], confiant=p["confiant"],
                            source=source, top1=p["code"] == expected, top3=expected in ranked[:3]))
    df = pd.DataFrame(results)
    confident = df[df["confiant"]]
    return dict(
        titres=len(df), ecartes_ambigus=ambiguous, signales=int((~df["confiant"]).sum()), taux_signales=float((~df["confiant"]).mean()),
        top1=float(confident["top1"].mean()) if len(confident) else 0.0,
        top3=float(confident["top3"].mean()) if len(confident) else 0.0,
        erreurs_confiantes=float(1 - confident["top1"].mean()) if len(confident) else 0.0,
        top1_tous=float(df["top1"].mean()), top3_tous=float(df["top3"].mean()), detail=df,
    )


# ---------------------------------------------------------------------------------------------
# The review workbook, and back
# ---------------------------------------------------------------------------------------------

SHEET_REVIEW = "Rapprochement"
SHEET_CODES = "Codes"
PROP_REVIEW = "effectifs_revue"
REVIEW_HEADINGS = ["Intitulé de poste", "Effectif", "Code proposé", "Métier proposé", "Emploi rattaché",
                   "Confiance", "À vérifier", "Autre possibilité 1", "Autre possibilité 2", "Code retenu",
                   "Commentaire"]
COL_KEPT = REVIEW_HEADINGS.index("Code retenu")
REVIEW_HEADER_ROW = 4


def write_review(campaign: Campaign, company_id: str, proposals: pd.DataFrame, path: str | Path) -> Path:
    """The workbook HR check: one row per title, the proposal, and an unlocked "Code retenu" to confirm."""
    from .templates import PROP_CAMPAIGN, PROP_COMPANY
    from .xlsx import atomic_workbook, formats, row_height

    lines = campaign.nomenclature.lignes
    titles = dict(zip(campaign.nomenclature.metiers["code_metier"], campaign.nomenclature.metiers["intitule_metier"]))
    with atomic_workbook(path, title=f"Rapprochement des intitulés — {campaign.raison_sociale(company_id)}") as wb:
        wb.set_custom_property(PROP_CAMPAIGN, campaign.identifiant, "text")
        wb.set_custom_property(PROP_COMPANY, company_id, "text")
        wb.set_custom_property(PROP_REVIEW, "1", "text")
        fmt = formats(wb)
        ws = wb.add_worksheet(SHEET_REVIEW)
        codes = wb.add_worksheet(SHEET_CODES)
        widths = [40, 9, 10, 36, 30, 10, 34, 34, 34, 12, 30]
        for c, w in enumerate(widths):
            ws.set_column(c, c, w)
        ws.write_string(0, 0, f"Rapprochement des intitulés de poste — {campaign.raison_sociale(company_id)}",
                        fmt["title"])
        ws.write_string(1, 0, "Vérifiez chaque ligne et indiquez dans « Code retenu » le code du métier (ou NV pour "
                              "les effectifs non ventilés). Les lignes en orange doivent être décidées : la "
                              "proposition y est incertaine.", fmt["subtitle"])
        ws.write_string(2, 0, f"Campagne {campaign.identifiant} — la liste des codes est dans la feuille "
                              f"« {SHEET_CODES} ».", fmt["small"])
        for c, h in enumerate(REVIEW_HEADINGS):
            ws.write_string(REVIEW_HEADER_ROW, c, h, fmt["header"])
        ws.set_row(REVIEW_HEADER_ROW, 30)
        rows = [(r.cle, titles[r.code_metier], r.intitule_emploi) for r in lines.itertuples(index=False)]
        rows.append((KEY_NV, "Non ventilé dans une fiche métier", ""))
        for r, row in enumerate(rows, start=1):
            for c, text in enumerate(row):
                codes.write_string(r, c, str(text), fmt["cell"])
        keys = [key for key, _, _ in rows]
        for c, h in enumerate(["Code", "Métier", "Emploi rattaché"]):
            codes.write_string(0, c, h, fmt["header"])
        codes.set_column(0, 0, 10)
        codes.set_column(1, 2, 50)
        validation = {"validate": "list", "source": f"={SHEET_CODES}!$A$2:$A${len(keys) + 1}",
                      "error_title": "Code inconnu",
                      "error_message": "Choisissez un code de la liste (feuille « Codes »), ou NV pour non ventilé."}
        unsure = wb.add_format({"bg_color": "#FFD966", "border": 1, "border_color": "#A6A6A6", "font_size": 10,
                                "text_wrap": True, "valign": "top"})
        for i, p in enumerate(proposals.itertuples(index=False), start=REVIEW_HEADER_ROW + 1):
            style = unsure if p.a_verifier else fmt["cell"]
            values = [p.intitule, p.effectif, p.cle, p.metier, p.emploi, p.confiance, p.a_verifier,
                      p.alternative_1, p.alternative_2]
            for c, v in enumerate(values):
                if c == 1:
                    ws.write_number(i, c, int(v), fmt["number"])
                elif c == 5:
                    ws.write_number(i, c, float(v), fmt["percent"])
                else:
                    ws.write_string(i, c, str(v), style)
            ws.write_string(i, COL_KEPT, "" if p.a_verifier else p.cle, fmt["input_text"])
            ws.data_validation(i, COL_KEPT, i, COL_KEPT, validation)
            ws.write_string(i, COL_KEPT + 1, "", fmt["input_text"])
            ws.set_row(i, row_height([(str(v), w) for v, w in zip(values, widths) if isinstance(v, str)]))
        ws.freeze_panes(REVIEW_HEADER_ROW + 1, 1)
        ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True, "format_columns": True,
                        "autofilter": True, "sort": False})
        ws.autofilter(REVIEW_HEADER_ROW, 0, REVIEW_HEADER_ROW + max(len(proposals), 1), len(REVIEW_HEADINGS) - 1)
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        ws.activate()
    return Path(path)


def review_to_values(campaign: Campaign, path: str | Path) -> tuple[str, dict[str, int], dict[str, str]]:
    """A reviewed workbook -> (company, headcount per template row, comment per row listing the titles)."""
    import openpyxl

    from .templates import PROP_CAMPAIGN, PROP_COMPANY

    path = Path(path)
    try:
        wb = openpyxl.load_workbook(path, data_only=True)
    except Exception as err:  # noqa: BLE001
        raise UserError(f"Classeur de rapprochement illisible : {path} ({type(err).__name__})") from None
    props = {p.name: str(p.value) for p in wb.custom_doc_props.props}
    if PROP_REVIEW not in props or props.get(PROP_CAMPAIGN) != campaign.identifiant:
        raise UserError(f"{path.name} n'est pas un classeur de rapprochement de la campagne {campaign.identifiant}.")
    company = props[PROP_COMPANY]
    if SHEET_REVIEW not in wb.sheetnames:
        raise UserError(f"{path.name} : feuille « {SHEET_REVIEW} » introuvable.")
    ws = wb[SHEET_REVIEW]
    header = [c.value for c in ws[REVIEW_HEADER_ROW + 1]]
    try:
        col_title, col_count, col_kept = (header.index(h) for h in ("Intitulé de poste", "Effectif", "Code retenu"))
    except ValueError:
        raise UserError(f"{path.name} : en-têtes du rapprochement introuvables (ligne {REVIEW_HEADER_ROW + 1}).") \
            from None
    known = set(campaign.nomenclature.lignes["cle"]) | {KEY_NV}
    values: dict[str, int] = {}
    placed: dict[str, list[str]] = {}
    problems = []
    for row in ws.iter_rows(min_row=REVIEW_HEADER_ROW + 2):
        title = row[col_title].value
        if title in (None, ""):
            continue
        kept = row[col_kept].value
        key = f"{int(kept):04d}" if isinstance(kept, (int, float)) and not isinstance(kept, bool) else \
            str(kept or "").strip()
        key = KEY_NV if key.lower() in ("nv", "non ventilé", "non ventile") else key
        cell = row[col_kept].coordinate
        if not key:
            problems.append(f"{SHEET_REVIEW}!{cell} : « {title} » n'a pas de code retenu — choisissez un code "
                            "ou NV")
            continue
        if key not in known:
            problems.append(f"{SHEET_REVIEW}!{cell} : code « {key} » inconnu pour « {title} » — choisissez un "
                            f"code de la feuille « {SHEET_CODES} »")
            continue
        count = row[col_count].value
        if not isinstance(count, (int, float)) or isinstance(count, bool) or count < 0 or not float(count).is_integer():
            problems.append(f"{SHEET_REVIEW}!{row[col_count].coordinate} : effectif « {count} » invalide pour "
                            f"« {title} »")
            continue
        values[key] = values.get(key, 0) + int(count)
        placed.setdefault(key, []).append(f"{title} ({int(count)})")
    if problems:
        raise UserError(f"Rapprochement incomplet dans {path.name} :", problems)
    values[KEY_TOTAL] = sum(values.values())
    comments = {k: ("Intitulés : " + ", ".join(v))[:1000] for k, v in placed.items()}
    return company, values, comments
