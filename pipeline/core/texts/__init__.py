"""Every text users read, in one package: this is what a proofreader reads.

- :mod:`.messages`: what the checks say about a file, by stable code (``valeur.decimale``…), each with
  what was expected and what to do;
- :mod:`.labels`: sheet names, headings and labels of the workbooks;
- :mod:`.console`: what the ``effectifs`` command prints;
- :mod:`.mails`: the e-mails (return to sender, reminders);
- :mod:`.guide`: the « Mode d'emploi » sheet of the template.

Texts are ``str.format`` templates with French format specs (see :class:`FrenchFormatter`):
``{n:pl:erreur|erreurs}`` gives "1 erreur" or "5 523 erreurs", ``{x:n}`` a number with thousands
separators, ``{x:s}`` a signed number with the minus sign, ``{p:%}`` a percentage, ``{d:d}`` a date,
``{m:dt}`` a date and time (27/11/2026 14:05), ``{v:v}`` a value as the user typed it, ``{n:w:est|sont}``
the word alone, ``{p:a}`` a command argument (quoted when it holds a space), ``{s:de}`` « de Mondial » or
« d'Acta » (elided before a vowel).
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import string
import unicodedata

NNBSP = "\u202f"  # narrow no-break space: thousands separator, and before "%"
MINUS = "\u2212"


def number(value: float | int, decimals: int | None = None) -> str:
    """5523 -> "5 523"; -78 -> "−78"; 3.5 -> "3,5" (``decimals``: fixed places)."""
    if isinstance(value, float) and not math.isfinite(value):
        return "non numérique" if math.isnan(value) else ("infini" if value > 0 else f"{MINUS}infini")
    if decimals is None:
        if float(value).is_integer():
            text = f"{int(value):,}"
        else:
            whole, _, frac = repr(float(value)).partition(".")
            if "e" in frac or "e" in whole:
                return repr(float(value)).replace("-", MINUS).replace(".", ",")
            text = f"{int(whole):,}" + "." + frac
            if whole.startswith("-") and int(whole) == 0:
                text = "-" + text
    else:
        text = f"{value:,.{decimals}f}"
    return text.replace(",", NNBSP).replace(".", ",").replace("-", MINUS)


def signed(value: float | int, decimals: int | None = None) -> str:
    """+12, −78, 0."""
    text = number(value, decimals)
    return "+" + text if value > 0 else text


def percent(share: float, decimals: int = 0, sign: bool = False) -> str:
    """0.125 -> "12,5 %" (``decimals=1``); with ``sign``: "+12 %", "−78 %"."""
    text = (signed if sign else number)(round(share * 100, decimals), decimals)
    return f"{text}{NNBSP}%"


def date(value: dt.date | dt.datetime) -> str:
    return value.strftime("%d/%m/%Y")


def datetime(value: dt.datetime | str) -> str:
    """01/07/2026 10:30 (an ISO text is accepted; empty stays empty)."""
    if isinstance(value, str):
        if not value:
            return ""
        value = dt.datetime.fromisoformat(value)
    return value.strftime("%d/%m/%Y %H:%M")


def argument(text: object) -> str:
    """A path or word as it must be typed in a command: between double quotes when it holds a space (the
    same on Windows and elsewhere)."""
    text = str(text)
    return f'"{text}"' if any(ch.isspace() for ch in text) or not text else text


def of(name: object) -> str:
    """« de » before a name, elided before a vowel: « de Mondial Assistance », « d'Acta », « d'Europ »."""
    name = str(name)
    first = unicodedata.normalize("NFD", name[:1])[:1].lower()
    return f"d'{name}" if first in "aeiouy" and first else f"de {name}"


def plural(n: int, singular: str, plural_form: str) -> str:
    """The French rule: 0 and 1 take the singular."""
    return singular if abs(n) < 2 else plural_form


NAMES_SHOWN = 30  # names listed in one cell or line before « … et N autres »


def names(items, limit: int = NAMES_SHOWN) -> str:
    """A list of names for a sentence: « A, B, C », or the first ``limit`` and « … et 9 970 autres » (a list of
    thousands of companies would pass Excel's 32,767 characters per cell and no one would read it)."""
    items = [str(i) for i in items]
    if len(items) <= limit:
        return ", ".join(items)
    rest = len(items) - limit
    return ", ".join(items[:limit]) + f" … et {number(rest)} {plural(rest, 'autre', 'autres')}"


def value(v: object) -> str:
    """A cell's value as a French user recognises it in a message."""
    if v is None:
        return "(vide)"
    if isinstance(v, bool):
        return "VRAI" if v else "FAUX"
    if isinstance(v, numbers.Real):
        return number(v)
    if isinstance(v, (dt.datetime, dt.date)):
        return date(v)
    text = " ".join(str(v).split()) if str(v).strip() else str(v)
    return text if len(text) <= 60 else text[:57] + "…"


class FrenchFormatter(string.Formatter):
    """``str.format`` with the French specs listed in the package docstring."""

    def format_field(self, v, spec: str) -> str:
        kind, _, rest = spec.partition(":")
        if kind in ("pl", "w"):
            singular, _, plural_form = rest.partition("|")
            word = plural(int(v), singular, plural_form)
            return word if kind == "w" else f"{number(int(v))} {word}"
        if kind == "n":
            return number(v)
        if kind == "s":
            return signed(v)
        if kind.startswith("%"):
            return percent(v, int(kind[1:] or 0), sign=rest == "s")
        if kind == "d":
            return date(v)
        if kind == "dt":
            return datetime(v)
        if kind == "v":
            return value(v)
        if kind == "a":
            return argument(v)
        if kind == "de":
            return of(v)
        if kind == "" and isinstance(v, numbers.Real) and not isinstance(v, bool):
            return number(v)
        if kind == "" and isinstance(v, (dt.date, dt.datetime)):
            return date(v)
        return super().format_field(v, spec)


_FORMATTER = FrenchFormatter()


def fr(template: str, **params) -> str:
    """Fill a catalogue text with its parameters, the French way."""
    return _FORMATTER.format(template, **params)
