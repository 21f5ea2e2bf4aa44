"""Job-title matching: from a company's own job titles to the branch's métiers.

Entry points: :class:`Matcher` (``propose()`` for one title, ``settle()`` for the emploi of a split métier)
and :func:`suggest` (a proposal per distinct title of an HR export). The review workbook HR check is
written by :mod:`pipeline.write.review` and read back by :mod:`pipeline.check.review`; the accuracy is
measured by :mod:`pipeline.compute.evaluation`.

What a title is compared with — its *labels*, each tied to a template row: the métier titles and emplois
rattachés of the nomenclature, its « autres dénominations », the direction functions (NV), and the lexicon
(:mod:`pipeline.compute.lexicon`: the starter lexicon, then every title a company validated). Titles are read
by :mod:`pipeline.compute.titles` (abbreviations, synonyms, head and context). A label scores by a weighted
Dice coefficient over words, each word weighing its rarity among the métiers (a word found under many
métiers, such as "assistance", weighs little) and less when it is context. The activities of a métier
(the nomenclature's « activités principales ») are weaker evidence, used only for métiers with few labels.
A validated title is more than itself: its variants (the same head, another department or site) hold it
whole, and its words are evidence for its métier in other titles — weighed against the nomenclature, so
that one company's few titles cannot outweigh it (:func:`_taught`).

A proposal is *confident* when it scores enough, leads the next métier by enough (or is the same as a
label no other métier shares), and rests on a word that is not a generic one or on a whole label;
otherwise it is flagged, and with no word recognised there is no proposal at all. It is *strong* — and
pre-filled in the review — only when the title is the same (once read) as a label of the nomenclature or
a title validated by a company or by the observatory, and every such label agrees.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd
from rapidfuzz.distance import DamerauLevenshtein

from ..core import models
from ..core.form import KEY_NV
from ..core.models import DataFrame
from ..core.models_titles import IntitulesExport, Propositions
from ..core.nomenclature import Nomenclature
from ..core.texts import fr
from ..core.texts import matching as M
from .titles import CONTEXT, Reader, Word

# Thresholds of a confident proposal, chosen on the evaluation set (see pipeline.compute.evaluation).
MIN_SCORE = 0.50
MIN_MARGIN = 0.15
MIN_PROPOSAL = 0.15      # below, no proposal: nothing in the title points to a métier
MIN_ALTERNATIVE = 0.15   # an alternative scoring less is no alternative
GENERIC = 6              # a word found under this many métiers or more is too general to decide alone
UNKNOWN = 1.0            # weight of a word no label knows (a rare word weighs about 3.7)…
UNEXPLAINED = 1.5        # …and at most of a title's word that a label does not explain
COVERAGE = 0.4           # share of the score that depends on how much of the label the title holds
FEW_LABELS = 5           # métiers with fewer labels than this also use their activities…
ACTIVITY = 0.45          # …which score at most this much (never enough to be confident)
# What validated titles teach beyond themselves (see _taught): each of their words votes for their métier, against
# PRIOR and one vote for each other métier the nomenclature gives the word. A row gains at most LEARNED from the
# words of a title its label did not explain, in proportion to their weight and to how surely they were taught;
# a generic word ("assistance") decides when taught LEARNED_SURE surely — which one company's few titles
# cannot do for a word of many métiers, and one title never does for any word.
LEARNED = 0.30
PRIOR = 1.0
LEARNED_MIN = 0.6        # a word counts when at least this sure: two validated titles that agree, and no other
LEARNED_SURE = 0.7

# Label sources, and how much each speaks for its métier: the nomenclature's own titles and the titles
# validated by a company or the observatory fully; its « autres dénominations » (some listed under two
# métiers) and the starter lexicon (our proposals) a little less.
TITLE, OTHER, NV, STARTER, VALIDATED, OBSERVATORY, ACTIVITIES = (
    "intitule", "autre", "nv", "depart", "valide", "observatoire", "activites")
AUTHORITY = {TITLE: 1.0, NV: 1.0, VALIDATED: 1.0, OBSERVATORY: 1.0, OTHER: 0.8, STARTER: 0.9}
SHADOWED = 0.6
STRONG = {TITLE, OTHER, NV, VALIDATED, OBSERVATORY}
TEACHING = {VALIDATED, OBSERVATORY}   # labels whose words are evidence beyond the label itself
# Titles that place staff outside the métiers: direction functions (seed, section 1.1).
NOT_VENTILATED = ["Directeur général", "Directeur", "Président", "Directeur des ressources humaines",
                  "Directeur financier", "Directeur des opérations", "Secrétaire général", "Membre du comité de direction"]


@dataclass(frozen=True)
class Label:
    key: str                        # a row key of the template: "0102", "0101-1", or "NV"
    code: str                       # the métier code, or "NV"
    text: str                       # as written
    words: tuple[Word, ...]
    source: str
    authority: float = 1.0
    companies: int = 0
    campaigns: str = ""
    shadowed: bool = False          # an « autre dénomination » that is another métier's own title

    @property
    def exact(self) -> tuple[str, ...]:
        return tuple(sorted({w.form for w in self.words}))


@dataclass
class Evidence:
    score: float
    label: Label
    matched: list[Word] = field(default_factory=list)   # the title's words that matched
    covered: bool = False                               # every word of the label matched
    specific: bool = False                              # a matched word is not a generic one
    same: Label | None = None                           # a label of this row the title is the same as
    taught: list[Word] = field(default_factory=list)    # the title's words validated titles gave this métier


@dataclass(frozen=True)
class Proposal:
    cle: str = ""
    code: str = ""
    score: float | None = None
    why: str = ""
    flag: str = M.MATCH_NONE
    alternatives: tuple[tuple[str, str, float], ...] = ()
    strong: bool = False

    @property
    def confident(self) -> bool:
        return bool(self.cle) and not self.flag


def _labels(nomenclature: Nomenclature, reader: Reader, lexicon: pd.DataFrame | None) -> list[Label]:
    out = []
    for m in nomenclature.metiers.itertuples(index=False):
        keys = list(nomenclature.lignes_du_metier(m.code_metier)["cle"])
        texts = [(keys[0], m.intitule_metier, TITLE)]
        texts += [(keys[i] if len(keys) > 1 else keys[0], e, TITLE) for i, e in enumerate(m.emplois)]
        texts += [(keys[0], a, OTHER) for a in m.autres]
        out += [Label(k, m.code_metier, t, reader(t, split=False).words, s, AUTHORITY[s]) for k, t, s in texts]
    out += [Label(KEY_NV, KEY_NV, t, reader(t, split=False).words, NV) for t in NOT_VENTILATED]
    # An « autre dénomination » that is another métier's own title ("Chargé(e) d'assistance" under 0106) speaks
    # for that métier first.
    titles = {lab.exact: lab.code for lab in out if lab.source == TITLE}
    out = [Label(**{**lab.__dict__, "authority": lab.authority * SHADOWED, "shadowed": True})
           if lab.source == OTHER and titles.get(lab.exact, lab.code) != lab.code else lab for lab in out]
    codes = dict(zip(nomenclature.lignes["cle"], nomenclature.lignes["code_metier"])) | {KEY_NV: KEY_NV}
    learned: list[Label] = []
    for e in (lexicon.itertuples(index=False) if lexicon is not None else []):
        if e.cle not in codes:
            continue  # a row of another nomenclature
        source = OBSERVATORY if e.observatoire else VALIDATED if e.societes else STARTER
        learned.append(Label(e.cle, codes[e.cle], e.intitule, reader(e.intitule).words, source, AUTHORITY[source],
                             int(e.societes), e.campagnes))
    # Companies that placed the same title (once read) on different rows share its authority.
    votes: dict[tuple[str, ...], dict[str, int]] = {}
    for label in learned:
        if label.source == VALIDATED:
            votes.setdefault(label.exact, {}).setdefault(label.code, 0)
            votes[label.exact][label.code] += label.companies
    shared = []
    for label in learned:
        if label.source == VALIDATED and len(votes[label.exact]) > 1:
            label = Label(**{**label.__dict__, "authority": votes[label.exact][label.code] /
                             sum(votes[label.exact].values())})
        shared.append(label)
    return [lab for lab in out + shared if lab.words]


def _taught(labels: list[Label]) -> dict[str, dict[str, float]]:
    """How surely each word of the validated titles points to each métier: its votes (one per title and company
    that validated it, or the observatory; a context word's weighing CONTEXT; shared when companies disagree)
    over all its votes, plus PRIOR, plus one for every other métier whose labels in the nomenclature hold the
    word — so that what the nomenclature says ("plateau" is a word of many métiers) is outweighed only by many
    validated titles, not by one company's few."""
    votes: dict[str, dict[str, float]] = {}
    for label in labels:
        if label.source in TEACHING:
            vote = label.authority * max(label.companies, 1)
            for w in {w.form: w for w in label.words}.values():
                by_code = votes.setdefault(w.form, {})
                by_code[label.code] = by_code.get(label.code, 0.0) + vote * (CONTEXT if w.context else 1.0)
    known: dict[str, set[str]] = {}
    for label, w in ((lab, w) for lab in labels if lab.source in (TITLE, OTHER, NV) for w in lab.words):
        known.setdefault(w.form, set()).add(label.code)
    return {w: {c: v / (sum(by_code.values()) + PRIOR + len(known.get(w, set()) - {c})) for c, v in by_code.items()}
            for w, by_code in votes.items()}


class Matcher:
    """Scores titles against every label; one instance per nomenclature, table and lexicon."""

    def __init__(self, nomenclature: Nomenclature, table: pd.DataFrame | None = None,
                 lexicon: pd.DataFrame | None = None):
        self.reader = Reader(table)
        self.labels = _labels(nomenclature, self.reader, lexicon)
        codes_of: dict[str, set[str]] = {}
        self.index: dict[str, list[Label]] = {}
        self.exact: dict[tuple[str, ...], set[str]] = {}   # the codes of the labels of the same words
        # A word weighs its spread among the métiers in the nomenclature and the starter lexicon: one company's
        # review does not reweigh the words of every title (only those that validated titles alone know).
        taught: dict[str, set[str]] = {}
        for label in self.labels:
            for w in {w.form for w in label.words}:
                (taught if label.source in TEACHING else codes_of).setdefault(w, set()).add(label.code)
                self.index.setdefault(w, []).append(label)
            if not label.shadowed:
                self.exact.setdefault(label.exact, set()).add(label.code)
        codes_of |= {w: c for w, c in taught.items() if w not in codes_of}
        n = len({label.code for label in self.labels})
        self.weight = {w: math.log(1 + n / len(c)) for w, c in codes_of.items()}
        self.generic = {w for w, c in codes_of.items() if len(c) >= GENERIC}
        self.vocabulary = sorted(self.weight)
        self.titles = dict(zip(nomenclature.metiers["code_metier"], nomenclature.metiers["intitule_metier"]))
        self.titles[KEY_NV] = M.NOT_VENTILATED_TITLE
        self.emplois = {r.cle: r.intitule_emploi for r in nomenclature.lignes.itertuples(index=False)
                        if r.rang_emploi > 0}
        self.codes = dict(zip(nomenclature.lignes["cle"], nomenclature.lignes["code_metier"])) | {KEY_NV: KEY_NV}
        counts = pd.Series([label.code for label in self.labels if label.source in (TITLE, OTHER)]).value_counts()
        self.activities: dict[str, set[str]] = {}
        for m in nomenclature.metiers.itertuples(index=False):
            if counts.get(m.code_metier, 0) < FEW_LABELS and m.mission:
                key = nomenclature.lignes_du_metier(m.code_metier)["cle"].iloc[0]
                self.activities[key] = {w.form for w in self.reader(m.mission, split=False).words} - self.generic
        self._alias_cache: dict[str, dict[str, float]] = {}
        self.taught = _taught(self.labels)

    def _aliases(self, form: str) -> dict[str, float]:
        """Label words a title's word stands for, with how surely (1: the same word)."""
        if form in self.weight:
            return {form: 1.0}
        if form not in self._alias_cache:
            found = {}
            for word in self.vocabulary:
                if len(form) < 4 or word[:3] != form[:3]:
                    continue
                if word.startswith(form) and len(form) <= 8:  # a truncation: "respons", "comptab"
                    found[word] = 0.9
                elif form.startswith(word) and len(word) >= 7:  # a derived word: "transporteur"
                    found[word] = 0.85
                elif len(form) >= 7:                           # a typing error: "gestionaire", "assitance"
                    limit = 2 if len(form) >= 10 else 1
                    d = DamerauLevenshtein.distance(form, word, score_cutoff=limit)
                    if d <= limit:
                        found[word] = 0.95 - 0.05 * d
            self._alias_cache[form] = found
        return self._alias_cache[form]

    def _weights(self, words: tuple[Word, ...], aliases: list[dict[str, float]]) -> list[float]:
        return [(CONTEXT if w.context else 1.0) * max((self.weight[a] for a in al), default=UNKNOWN)
                for w, al in zip(words, aliases)]

    def evidence(self, title: str) -> tuple[list[Evidence], object]:
        """The best evidence for each row key, highest first, and the title as read."""
        read = self.reader(title)
        aliases = [self._aliases(w.form) for w in read.words]
        weights = self._weights(read.words, aliases)
        total = sum(weights)
        candidates = {id(lab): lab for al in aliases for a in al for lab in self.index.get(a, [])}
        best: dict[str, Evidence] = {}
        covered: set[str] = set()    # keys with a label the title holds whole…
        specific: set[str] = set()   # …or matched by a word that is not a generic one
        same: dict[str, tuple[float, Label]] = {}
        for label in candidates.values():
            l_weights = [(CONTEXT if w.context else 1.0) * self.weight[w.form] for w in label.words]
            shared, matched, used, unexplained = 0.0, [], set(), 0.0
            for word, al, wq in zip(read.words, aliases, weights):
                options = [(al[lw.form] * min(wq, l_weights[j]), j) for j, lw in enumerate(label.words)
                           if lw.form in al and j not in used]
                if options:
                    value, j = max(options)
                    shared += value
                    matched.append(word)
                    used.add(j)
                else:
                    unexplained += min(wq, UNEXPLAINED)
            held = sum(l_weights[j] for j in used) / sum(l_weights)
            # A validated title is held whole when its head is: "Gestionnaire paie" is "Gestionnaire paie - DRH".
            whole = {j for j, lw in enumerate(label.words) if not (label.source in TEACHING and lw.context)}
            dice = 2 * shared / (shared + unexplained + sum(l_weights))
            score = label.authority * dice * (1 - COVERAGE + COVERAGE * held)
            if score >= MIN_PROPOSAL:
                if (whole <= used) if whole else len(used) == len(label.words):
                    covered.add(label.key)
                if any(self._specific(w, aliases[read.words.index(w)]) for w in matched):
                    specific.add(label.key)
            if score > (best[label.key].score if label.key in best else -1):
                best[label.key] = Evidence(score, label, matched)
            if label.exact == read.key and label.source in STRONG and score > same.get(label.key, (-1, None))[0]:
                same[label.key] = (score, label)
        for key, e in best.items():
            e.covered, e.specific, e.same = key in covered, key in specific, same.get(key, (0, None))[1]
            self._learn(e, read.words, aliases, weights, total)
        for key, forms in self.activities.items():
            matched = [w for w, al in zip(read.words, aliases) if forms & (set(al) | {w.form})]
            score = ACTIVITY * sum(wq for w, wq in zip(read.words, weights) if w in matched) / total if total else 0
            if matched and score > (best[key].score if key in best else 0):
                label = Label(key, self.codes[key], "", (), ACTIVITIES, ACTIVITY)
                best[key] = Evidence(score, label, matched, False, True)
        return sorted(best.values(), key=lambda e: (-e.score, e.label.key)), read

    def _learn(self, e: Evidence, words: tuple[Word, ...], aliases: list[dict[str, float]], weights: list[float],
               total: float) -> None:
        """What the words of validated titles add to a row's evidence (see LEARNED): a word the row's label did
        not explain adds to its score (a word it did is not counted twice), and a generic word the validated
        titles give surely to this métier decides."""
        if not self.taught or not total or any(not al for w, al in zip(words, aliases) if not w.context):
            return  # a word of the title's head that no label knows: what other titles taught cannot vouch for it
        gained = 0.0
        for word, al, wq in zip(words, aliases, weights):
            sure = max((s * self.taught.get(a, {}).get(e.label.code, 0.0) for a, s in al.items()), default=0.0)
            if sure < LEARNED_MIN:
                continue
            e.taught.append(word)
            e.specific = e.specific or (sure >= LEARNED_SURE and not word.context)
            if word not in e.matched:
                gained += wq * sure
        e.score += LEARNED * gained / total

    def _specific(self, word: Word, aliases: dict[str, float]) -> bool:
        return not word.context and any(a not in self.generic for a in aliases)

    def propose(self, title: str) -> Proposal:
        ranked, read = self.evidence(title)
        if not ranked or ranked[0].score < MIN_PROPOSAL:
            return Proposal(why=self._read_as(read))
        top = ranked[0]
        others = [e for e in ranked if e.label.code != top.label.code]
        margin = top.score - (others[0].score if others else 0.0)
        generic = sorted({w.shown for w in top.matched})
        # The same title as a label (once read), and no label of the same words elsewhere: a title that merely
        # resembles a label of another métier, validated or not, does not make it doubtful.
        identical = top.same is not None and self.exact.get(read.key) == {top.label.code}
        if top.label.source == ACTIVITIES:
            flag = M.MATCH_ACTIVITIES
        elif not (top.specific or top.covered):
            flag = fr(M.MATCH_GENERIC, mots=", ".join(fr(M.WORDS, mot=w) for w in generic))
        elif top.score < MIN_SCORE:
            flag = M.MATCH_WEAK
        elif margin < MIN_MARGIN and not identical:
            flag = fr(M.MATCH_AMBIGUOUS, code=others[0].label.key, titre=self.titles[others[0].label.code])
        else:
            flag = ""
        # Strong: the same title as a label of the nomenclature or a validated title, and no label of the same
        # words under another métier (but an « autre dénomination » that is another métier's title).
        strong = not flag and identical
        alternatives = []
        for e in sorted(others, key=lambda e: e.same is None):  # a title validated elsewhere comes first
            if e.score >= MIN_ALTERNATIVE and e.label.code not in {a[1] for a in alternatives}:
                alternatives.append((e.label.key, e.label.code, e.score))
        return Proposal(top.label.key, top.label.code, min(top.score, 1.0), self._why(top, read), flag,
                        tuple(alternatives[:2]), strong)

    def _source(self, label: Label) -> str:
        if label.source == VALIDATED:
            campaigns = label.campaigns.split(", ")
            text = campaigns[-1] if len(campaigns) == 1 else ", ".join(campaigns[:-1]) + M.AND + campaigns[-1]
            return fr(M.SOURCE_VALIDATED, n=label.companies, campagnes=text)
        return {TITLE: M.SOURCE_TITLE, OTHER: M.SOURCE_OTHER, NV: M.SOURCE_NV, STARTER: M.SOURCE_STARTER,
                OBSERVATORY: M.SOURCE_OBSERVATORY}[label.source]

    @staticmethod
    def _read_as(read) -> str:
        if not read.readings:
            return ""
        return fr(M.READ_AS, lectures=", ".join(fr(M.READ_ONE, forme=f, lecture=r) for f, r in read.readings))

    def _why(self, e: Evidence, read) -> str:
        words = ", ".join(dict.fromkeys(w.shown for w in e.matched))
        same = e.same or (e.label if read.key == e.label.exact else None)
        if e.label.source == ACTIVITIES:
            text = fr(M.ACTIVITIES, mots=words)
        elif same is not None:
            text = fr(M.EXACT, libelle=same.text, source=self._source(same))
        else:
            text = fr(M.NEAR, mots=words, libelle=e.label.text, source=self._source(e.label))
        taught = fr(M.TAUGHT, mots=", ".join(fr(M.WORDS, mot=w) for w in dict.fromkeys(w.shown for w in e.taught)))
        return "\n".join(t for t in (text, taught if e.taught and same is None else "", self._read_as(read)) if t)

    def settle(self, title: str, code: str) -> str | None:
        """The row of a split métier (0101-1 or 0101-2) that the title points to, if one clearly does."""
        found, read = self.evidence(title)
        ranked = [e for e in found if e.label.code == code]
        exact = {e.label.key for e in ranked if e.label.exact == read.key}
        if len(exact) == 1:
            return exact.pop()
        if not ranked or ranked[0].score < MIN_PROPOSAL:
            return None
        runner = next((e.score for e in ranked if e.label.key != ranked[0].label.key), 0.0)
        return ranked[0].label.key if ranked[0].score - runner >= MIN_MARGIN / 2 else None

    def shown(self, key: str) -> str:
        """A row key as users read it: the métier's title, and the emploi of a split métier."""
        code = self.codes.get(key, "")
        title = self.titles.get(code, "")
        emploi = self.emplois.get(key, "")
        return f"{title} — {emploi}" if emploi and emploi != title else title


def suggest(matcher: Matcher, export: DataFrame[IntitulesExport]) -> DataFrame[Propositions]:
    """One proposal per distinct title of the export (intitule, effectif)."""
    rows = []
    for r in export.itertuples(index=False):
        p = matcher.propose(r.intitule)
        others = [fr(M.ALTERNATIVE, cle=k, titre=matcher.shown(k), part=s) for k, _c, s in p.alternatives]
        rows.append(dict(intitule=r.intitule, effectif=int(r.effectif), cle=p.cle, metier=matcher.shown(p.cle),
                         confiance=float("nan") if p.score is None else p.score, pourquoi=p.why, a_verifier=p.flag,
                         autres="\n".join(others), prerempli=p.strong))
    columns = list(Propositions.to_schema().columns)
    return models.validate(Propositions, pd.DataFrame(rows, columns=columns).astype(
        {"confiance": float, "prerempli": bool, "effectif": int}))
