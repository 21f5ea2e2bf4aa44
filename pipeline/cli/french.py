"""click in French: the help's words, dates as French users write them."""

from __future__ import annotations

import datetime as dt
import difflib
import sys
import unicodedata

import click
from click import exceptions as E

from ..core.texts import console as C
from ..core.texts import fr


class FrenchFormatter(click.HelpFormatter):
    """Headings the French way: « Options : »."""

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading} :\n")


class FrenchContext(click.Context):
    formatter_class = FrenchFormatter


class FrenchCommand(click.Command):
    """click's help in French (its own words are English and have no translation shipped)."""

    context_class = FrenchContext

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = C.HELP_OPTION
        return option

    def format_usage(self, ctx, formatter):
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix=C.USAGE)

    def format_options(self, ctx, formatter):
        opts = [rv for p in self.get_params(ctx) if (rv := p.get_help_record(ctx)) is not None]
        if opts:
            with formatter.section(C.OPTIONS):
                formatter.write_dl(opts)


def _plain(name: str) -> str:
    """A command name as typed, compared without accents or case: « contrôler » is « controler »."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()


class FrenchGroup(FrenchCommand, click.Group):
    """The command group: French names (typed with or without accents), English aliases, and click's own
    errors said in French, with the exit code 2 of a bad command line."""

    command_class = FrenchCommand
    context_class = FrenchContext
    aliases: dict[str, str] = {}

    def format_options(self, ctx, formatter):
        FrenchCommand.format_options(self, ctx, formatter)
        commands = [(name, cmd) for name in self.list_commands(ctx) if (cmd := self.get_command(ctx, name))]
        if commands:
            with formatter.section(C.COMMANDS):
                formatter.write_dl([(name, cmd.get_short_help_str(90)) for name, cmd in commands])

    def get_command(self, ctx, cmd_name):
        name = _plain(cmd_name)
        return super().get_command(ctx, self.aliases.get(name, name))

    def resolve_command(self, ctx, args):
        if self.get_command(ctx, args[0]) is None and not ctx.resilient_parsing and not args[0].startswith("-"):
            close = difflib.get_close_matches(_plain(args[0]), self.list_commands(ctx), n=3)
            raise E.UsageError(fr(C.NO_SUCH_COMMAND, nom=args[0]) + (
                fr(C.DID_YOU_MEAN, propositions=", ".join(close)) if close else ""), ctx)
        return super().resolve_command(ctx, args)

    def main(self, args=None, prog_name=None, **extra):
        extra.pop("standalone_mode", None)
        try:
            code = super().main(args, prog_name, standalone_mode=False, **extra)
        except E.UsageError as err:
            _usage_error(err)
            sys.exit(2)
        except E.Abort:
            click.echo(C.ABORTED, err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


def _usage_error(err: E.UsageError) -> None:
    """click's usage errors, in French."""
    ctx = err.ctx
    if isinstance(err, E.NoSuchOption):
        text = fr(C.NO_SUCH_OPTION, option=err.option_name)
        if err.possibilities:
            text += fr(C.DID_YOU_MEAN, propositions=", ".join(sorted(err.possibilities)))
    elif isinstance(err, E.MissingParameter):
        text = fr(C.MISSING_PARAMETER, nom=(err.param.human_readable_name if err.param else ""))
    elif isinstance(err, E.BadParameter):
        name = err.param.get_error_hint(ctx) if err.param is not None and ctx is not None else (err.param_hint or "")
        text = fr(C.BAD_PARAMETER, nom=name, message=err.message)
    elif err.message.startswith("Got unexpected extra argument"):
        text = fr(C.EXTRA_ARGUMENT, arguments=err.message.split("(", 1)[-1].rstrip(")"))
    elif err.message.startswith("Option") and "requires" in err.message:
        text = fr(C.OPTION_NEEDS_VALUE, option=err.message.split("'")[1] if "'" in err.message else "")
    else:
        text = err.message
    if ctx is not None:
        click.echo(ctx.get_usage(), err=True)
        click.echo(fr(C.TRY_HELP, commande=ctx.command_path), err=True)
    click.echo(fr(C.ERROR, message=text), err=True)


class FrenchDate(click.ParamType):
    """A date as a French user writes it (01/07/2026), or as ISO (2026-07-01); with ``time``, an hour may
    follow (01/07/2026 14:30)."""

    name = "date"

    def __init__(self, time: bool = False):
        self.time = time
        self.formats = ["%d/%m/%Y", "%Y-%m-%d"] + (["%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M",
                                                   "%Y-%m-%dT%H:%M:%S"] if time else [])

    def get_metavar(self, param, ctx=None) -> str:
        return C.METAVAR_DATETIME if self.time else C.METAVAR_DATE

    def convert(self, value, param, ctx):
        if isinstance(value, (dt.date, dt.datetime)):
            return value
        for fmt in self.formats:
            try:
                parsed = dt.datetime.strptime(str(value).strip(), fmt)
            except ValueError:
                continue
            return parsed if self.time else parsed.date()
        self.fail(fr(C.BAD_DATE, valeur=value, attendu=C.METAVAR_DATETIME if self.time else C.METAVAR_DATE),
                  param, ctx)
