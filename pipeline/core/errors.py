"""The one exception type that carries a message meant for the user (in French), and the French of the
errors of the libraries that read what users write (a TOML parser's)."""

import re

from .texts import config as T
from .texts import fr


class UserError(Exception):
    """A problem the user can fix: the CLI prints the message, never a traceback."""

    def __init__(self, message: str, details: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or []

    def __str__(self) -> str:
        if not self.details:
            return self.message
        return self.message + "\n" + "\n".join(f"  - {d}" for d in self.details)


def toml_error(message: str) -> str:
    """A TOML parser's message, in French: what is wrong, and where."""
    where = re.search(r"\(at line (\d+), column (\d+)\)", message)
    what = next((french for english, french in T.TOML_ERRORS.items() if message.startswith(english)), T.TOML_OTHER)
    if where:
        return fr(T.TOML_WHERE, ligne=where.group(1), colonne=where.group(2), erreur=what)
    return fr(T.TOML_AT_END, erreur=what) if "(at end of document)" in message else what
