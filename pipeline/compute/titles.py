"""Reading a job title: the words that carry its meaning, each marked as the title's head or its context.

A title as HR systems write it — "CDA N2 - Plateau santé", "Gestionnaire paie - DRH", "Chargée
d'assistance (plateau auto)" — is read in four steps:

1. gender marks ("(e)", "(trice)", "F/H") and dotted acronyms ("A.R.M.") are tidied;
2. the title is cut at its separators (" - ", " / ", parentheses, commas): the first part is the
   *head*, the rest its *context* (a department, a site, a speciality), which weighs less;
3. each word, case and accents aside, is looked up in the table of abbreviations, synonyms, departments,
   context words and ranks (:func:`pipeline.core.titles.load_abbreviations`, editable by the observatory):
   "CDA" is read "chargé d'assistance", "payroll" "paie", "régulation" "régulateur"; a department ("DRH")
   after the title's first word is read as context ("ressources humaines"), not as a job ("directeur des
   ressources humaines"); ranks ("N2", "senior") are dropped;
4. words are brought to one form (feminine and plural endings: "chargée" → "chargé", "médicales" →
   "médical").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

from ..core.vocab import Reading

CONTEXT = 0.35  # weight of a context word relative to a word of the title's head
STOPWORDS = {"de", "du", "des", "d", "la", "le", "les", "l", "et", "en", "a", "au", "aux", "pour", "par", "sur",
             "un", "une", "ou", "avec", "dans", "chez", "of", "and", "the", "for", "in", "to", "at", "hf", "fh"}
# Feminine (or gender-neutral) endings brought back to one form, longest first.
ENDINGS = [("trices", "teur"), ("trice", "teur"), ("iennes", "ien"), ("ienne", "ien"), ("euses", "eur"),
           ("euse", "eur"), ("eures", "eur"), ("eure", "eur"), ("ieres", "ier"), ("iere", "ier"), ("eres", "er"),
           ("ere", "er"), ("ives", "if"), ("ive", "if"), ("elles", "el"), ("elle", "el"), ("antes", "ant"),
           ("ante", "ant"), ("entes", "ent"), ("ente", "ent"), ("ointe", "oint"), ("erte", "ert"), ("effe", "ef"),
           ("ales", "al"), ("ale", "al"), ("ees", "e"), ("ee", "e"), ("esse", "e")]
GENDER = re.compile(r"\(\s*(?:e|ne|trice|rice|euse|ve|ive|le|elle|fe|se|es|s|x|ere|ice|ienne|eur|ses|eure)\s*\)",
                    re.I)
FH = re.compile(r"[(\[]?\b[fh]\s*/\s*[fh]\b[)\]]?", re.I)
ACRONYM = re.compile(r"\b(?:[^\W\d_]\.){2,}")
SEPARATORS = re.compile(r"\s+[-\u2013\u2014/|:]\s+|[,;()\[\]]")
WORD = re.compile(r"[^\W_]+")
LONGEST_FORM = 3  # words
LIGATURES = {0x153: "oe", 0x152: "oe", 0xE6: "ae", 0xC6: "ae"}  # not decomposed by NFKD


def fold(text: str) -> str:
    """Lower case, without accents or ligatures."""
    text = str(text).translate(LIGATURES)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()


def inflect(word: str) -> str:
    """One form for the feminine and plural of a folded word."""
    for ending, replacement in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            word = word[: -len(ending)] + replacement
            break
    if word.endswith("eaux"):
        return word[:-1]
    if word.endswith("aux") and len(word) > 5:
        return word[:-3] + "al"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us")):
        return word[:-1]
    return word


def tidy(title: object) -> str:
    """The title with its gender marks and the dots of its acronyms removed."""
    text = FH.sub(" ", str(title or ""))
    text = GENDER.sub("", text)
    return ACRONYM.sub(lambda m: m.group(0).replace(".", ""), text)


@dataclass(frozen=True)
class Word:
    form: str       # the word compared with the labels (folded, one form)
    shown: str      # as written in the title
    context: bool   # a word of the title's context (department, site…), not of its head


@dataclass(frozen=True)
class Read:
    """A title as read: its words and the abbreviations or synonyms read on the way."""

    words: tuple[Word, ...]
    readings: tuple[tuple[str, str], ...] = ()   # (as written, read as)

    @property
    def key(self) -> tuple[str, ...]:
        """What two titles share when they say the same thing (word order, roles and repeats aside)."""
        return tuple(sorted({w.form for w in self.words}))

    @property
    def forms(self) -> list[str]:
        return [w.form for w in self.words]


class Reader:
    """Reads titles with a table of abbreviations (:func:`pipeline.core.titles.load_abbreviations`)."""

    def __init__(self, table: pd.DataFrame | None = None):
        self.forms: dict[tuple[str, ...], dict[str, str]] = {}
        for r in (table if table is not None else pd.DataFrame(columns=["forme", "lecture", "nature"])).itertuples():
            form = tuple(WORD.findall(fold(r.forme)))
            if form:
                self.forms.setdefault(form, {})[r.nature] = r.lecture

    def _lookup(self, folded: list[str], i: int) -> tuple[int, dict[str, str]]:
        """The longest form of the table starting at word ``i``: (its length, its readings by nature)."""
        for n in range(min(LONGEST_FORM, len(folded) - i), 0, -1):
            form = tuple(folded[i:i + n])
            found = self.forms.get(form) or (self.forms.get((inflect(form[0]),)) if n == 1 else None)
            if found:
                return n, found
        return 0, {}

    def _expand(self, reading: str, shown: str, context: bool) -> list[Word]:
        """The words of a table's reading, themselves checked for context words and ranks."""
        out = []
        for word in WORD.findall(fold(reading)):
            natures = self.forms.get((word,), {})
            if word in STOPWORDS or Reading.RANK in natures:
                continue
            for final in WORD.findall(fold(natures[Reading.SYNONYM])) if Reading.SYNONYM in natures else [word]:
                out.append(Word(inflect(final), shown, context or Reading.CONTEXT in natures))
        return out

    def __call__(self, title: object, split: bool = True) -> Read:
        """``split``: cut the title into head and context (HR titles); labels of the nomenclature are read
        whole."""
        segments = SEPARATORS.split(tidy(title)) if split else [tidy(title)]
        words: list[Word] = []
        readings: list[tuple[str, str]] = []
        first = True
        for s, segment in enumerate(segments):
            originals = WORD.findall(segment or "")
            folded = [fold(w) for w in originals]
            context = s > 0 and any(words)
            i = 0
            while i < len(folded):
                n, natures = self._lookup(folded, i)
                shown = " ".join(originals[i:i + max(n, 1)])
                if n == 0:
                    word = folded[i]
                    if word not in STOPWORDS and len(word) > 1 and not word.isdigit():
                        words.append(Word(inflect(word), shown, context))
                        first = False
                    i += 1
                    continue
                i += n
                if Reading.RANK in natures:
                    continue
                if Reading.SERVICE in natures and (not first or Reading.ABBREVIATION not in natures):
                    reading, as_context = natures[Reading.SERVICE], not first or context
                elif Reading.ABBREVIATION in natures or Reading.SYNONYM in natures:
                    reading = natures.get(Reading.ABBREVIATION) or natures[Reading.SYNONYM]
                    as_context = context
                else:  # a context word: kept as it is, weighing as context
                    reading, as_context = " ".join(folded[i - n:i]), True
                expanded = self._expand(reading, shown, as_context)
                if expanded and fold(shown) != fold(reading):
                    readings.append((shown, reading))
                words += expanded
                first = first and not expanded
        return Read(tuple(words), tuple(dict.fromkeys(readings)))
