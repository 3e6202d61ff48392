"""The ``inodli`` command: one click group, thin over the Python API.

Each area registers its commands in ``COMMANDS`` below as ``name -> "module:attribute"``;
a command's module is imported only when that command runs, so ``inodli dose`` never
loads Django or matplotlib. Library errors (:class:`inodli.errors.InputError`) become one
clean message at this boundary.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from inodli import __version__
from inodli.errors import InputError

# name -> "module:attribute" of a click command or group.
COMMANDS: dict[str, str] = {
    "design": "inodli.cli.design:design",
    "dli": "inodli.cli.dosing:dli",
    "dose": "inodli.cli.dosing:dose",
    "grade": "inodli.cli.grading:grade",
    "agvhd": "inodli.cli.grading:agvhd",
    "cgvhd": "inodli.cli.grading:cgvhd",
    "response": "inodli.cli.grading:response",
    "it": "inodli.cli.dosing:intrathecal",
    "next-dose": "inodli.cli.dosing:next_dose",
    "schedule": "inodli.cli.dosing:schedule",
    "demo": "inodli.cli.edc:demo",
    "serve": "inodli.cli.edc:serve",
    "manage": "inodli.cli.edc:manage",
    "export": "inodli.cli.adam:export",
    "report": "inodli.cli.report:report",
    "backup": "inodli.cli.governance:backup",
    "restore": "inodli.cli.governance:restore",
    "exchange": "inodli.cli.governance:exchange",
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS:
            module_name, attribute = COMMANDS[cmd_name].split(":")
            command = getattr(importlib.import_module(module_name), attribute)
            if not isinstance(command, click.Command):  # pragma: no cover - programming error
                raise TypeError(f"{COMMANDS[cmd_name]} is not a click command")
            return command
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InputError as error:
            raise click.UsageError(str(error), ctx) from error


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="inodli")
def main() -> None:
    """inodli: the InO +/- DLI trial (NCT06861348) as software.

    \b
    Examples:
      inodli dose --height 170 --weight 65 --cycle 1
      inodli --help
    """


def run() -> None:  # pragma: no cover - console entry point wrapper
    sys.exit(main())
