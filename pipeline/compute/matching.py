"""Job-title matching: from a company's own job titles to the branch métiers.

Entry points: :func:`suggest` (a proposal per distinct title of an export read by
:mod:`pipeline.read.export`) and :func:`evaluate` (measured accuracy). The review workbook HR check is
written by :mod:`pipeline.write.review` and read back by :mod:`pipeline.check.review`.

Matching: titles are normalised (case, accents, gendered forms "(e)", "(trice)", "f/h", feminine
endings, seniority words, common abbreviations, plurals, word order) and compared with every label
of the nomenclature — métier titles, emplois rattachés, autres dénominations — by a weighted Dice
coefficient over tokens: tokens match when rapidfuzz finds them close (typos, truncations), and each
token weighs its inverse document frequency over the labels, so that "assistance", present
everywhere, counts less than "réservation". A proposal is *confident* when its score and its margin
over the next métier pass the thresholds; any other title is flagged for a person to decide.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz, process

from ..core import models
from ..core.models import DataFrame
from ..core.campaign import Campaign
from ..core.form import KEY_NV
from ..core.nomenclature import Nomenclature
from ..core.texts import labels as L
from ..core.texts import fr, percent

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
        self.titles[KEY_NV] = L.NOT_VENTILATED_TITLE

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
                        motif=L.MATCH_EMPTY)
        top = ranked.iloc[0]
        others = ranked[ranked["code"] != top["code"]].drop_duplicates("code")
        runner = float(others["score"].iloc[0]) if len(others) else 0.0
        margin = float(top["score"]) - runner
        if top["score"] < MIN_SCORE:
            motif = L.MATCH_WEAK
        elif margin < MIN_MARGIN:
            motif = fr(L.MATCH_AMBIGUOUS, code=others["code"].iloc[0], titre=self.titles[others["code"].iloc[0]])
        else:
            motif = ""
        return dict(cle=top["cle"], code=top["code"], score=float(top["score"]), label=top["label"],
                    alternatives=[(r.cle, r.code, float(r.score)) for r in others.head(2).itertuples(index=False)
                                  if r.score >= MIN_ALTERNATIVE],
                    confiant=not motif, motif=motif)


def suggest(campaign: Campaign, export: pd.DataFrame) -> DataFrame[models.Propositions]:
    """One proposal per distinct title of the export."""
    matcher = Matcher(campaign.nomenclature)
    emplois = {r.cle: r.intitule_emploi for r in campaign.nomenclature.lignes.itertuples(index=False)
               if r.rang_emploi > 0}  # the emploi rattaché of a row, for métiers split into several
    rows = []
    for r in export.itertuples(index=False):
        p = matcher.propose(r.intitule)
        alts = [f"{c} {matcher.titles[code]} ({percent(s)})" for c, code, s in p["alternatives"]]
        rows.append(dict(intitule=r.intitule, effectif=int(r.effectif), cle=p["cle"],
                         metier=matcher.titles.get(p["code"], ""), emploi=emplois.get(p["cle"], ""),
                         confiance=p["score"], a_verifier=p["motif"],
                         alternative_1=alts[0] if alts else "", alternative_2=alts[1] if len(alts) > 1 else ""))
    return models.validate(models.Propositions, pd.DataFrame(rows, columns=list(models.Propositions.to_schema().columns)))


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


