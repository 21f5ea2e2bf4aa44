"""What every command shares: exit codes, printing, the guard that turns errors into French messages and an
exit code, the campaign option, the project of the command line."""

from __future__ import annotations

import functools
import os
import sys
import traceback
from typing import TYPE_CHECKING

import click

from ..core.errors import UserError
from ..core.texts import console as C
from ..core.texts import fr

if TYPE_CHECKING:
    from ..api import Project

EXIT_OK, EXIT_INCOMPLETE, EXIT_USAGE, EXIT_CONFIG, EXIT_INTERNAL = 0, 1, 2, 3, 4
PROCESS = {"own": False}  # True in the installed command (pipeline.cli.entry): this process runs one command


def _say(text: str = "") -> None:
    click.echo(text)


def _err(text: str) -> None:
    click.echo(text, err=True)


def _guard(func):
    """Turn user errors into a French message on stderr and an exit code, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        ctx = click.get_current_context()
        try:
            return func(*args, **kwargs)
        except UserError as err:
            _err(fr(C.ERROR, message=str(err)))
            ctx.exit(EXIT_CONFIG)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BrokenPipeError:  # output piped into a pager or `head` that closed early
            sys.stderr.close()
            ctx.exit(EXIT_OK)
        except Exception as err:  # noqa: BLE001 — last line of defence
            _err(fr(C.INTERNAL, type=type(err).__name__, message=str(err)))
            _err(traceback.format_exc() if ctx.obj.get("debug") else C.INTERNAL_HELP)
            ctx.exit(EXIT_INTERNAL)

    return wrapper


campaign_option = click.option("-c", "--campagne", "campaign_ref", show_default=False, help=C.HELP["campagne"],
                               default=lambda: os.environ.get("EFFECTIFS_CAMPAGNE"), metavar=C.METAVAR_CAMPAIGN)
json_option = click.option("--json", "as_json", is_flag=True, help=C.HELP["json"])


def _project() -> Project:
    """The command line's project, made on first use: ``--help`` and ``--version`` never load the library (pandas,
    pandera, openpyxl, xlsxwriter, scipy… are imported by the commands that need them)."""
    obj = click.get_current_context().find_root().obj
    if "project" not in obj:
        from ..api import Project

        obj["project"] = Project(*obj["where"])
        if PROCESS["own"]:
            from ..core.parallel import settle

            settle()
    return obj["project"]
