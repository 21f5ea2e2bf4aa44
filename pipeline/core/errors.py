"""The one exception type that carries a message meant for the user (in French)."""


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
