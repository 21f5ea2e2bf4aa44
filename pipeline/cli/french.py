"""click in French: the help's words, dates as French users write them."""

from __future__ import annotations

import datetime as dt

import click

from ..core.texts import console as C
from ..core.texts import fr


class FrenchCommand(click.Command):
    """click's help in French (its own words are English and have no translation shipped)."""

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


class FrenchGroup(FrenchCommand, click.Group):
    command_class = FrenchCommand

    def format_options(self, ctx, formatter):
        FrenchCommand.format_options(self, ctx, formatter)
        commands = [(name, cmd) for name in self.list_commands(ctx) if (cmd := self.get_command(ctx, name))]
        if commands:
            with formatter.section(C.COMMANDS):
                formatter.write_dl([(name, cmd.get_short_help_str(90)) for name, cmd in commands])


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
