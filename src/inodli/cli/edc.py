"""``inodli demo``, ``inodli serve`` and ``inodli manage``: the data capture application.

Django is configured only when one of these commands runs (``DJANGO_SETTINGS_MODULE`` defaults
to ``inodli.edc.settings``; the database comes from ``DATABASE_URL``, by default the SQLite file
``inodli.sqlite3`` in the working directory).
"""

from __future__ import annotations

import json
import os
from typing import Any

import click

__all__ = ["demo", "manage", "serve"]


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inodli.edc.settings")
    import django

    django.setup()


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _database_label() -> str:
    from django.db import connection

    name = connection.settings_dict["NAME"]
    return f"{connection.vendor} {name}"


def _serve(host: str, port: int, threads: int = 16, quiet: bool = False) -> None:
    from inodli.edc.server import serve_forever
    from inodli.edc.wsgi import application

    click.echo(
        f"Serving inodli EDC at http://{host}:{port}/  ({threads} worker threads; Ctrl-C to stop)"
    )
    try:
        serve_forever(application, host, port, threads=threads, quiet=quiet)
    except KeyboardInterrupt:  # pragma: no cover - interactive stop
        click.echo("stopped")


_HOST = click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
_PORT = click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))


@click.command("demo")
@_HOST
@_PORT
@click.option("--seed", default=20261124, show_default=True, help="Seed of the synthetic study.")
@click.option("--no-serve", is_flag=True, help="Build the study and exit without serving.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def demo(host: str, port: int, seed: int, no_serve: bool, as_json: bool) -> None:
    """Build the synthetic 23-patient study (if the database is empty) and serve it.

    Migrates the database, creates one demo user per study role, then enters 23 synthetic
    patients through the same services the forms use (consent, baseline, treatment,
    assessments, adverse events, GVHD, DLI, relapses and deaths over two years). A database
    that already holds subjects is left untouched and served as it is.

    \b
    Examples:
      inodli demo
      inodli demo --port 8080
      DATABASE_URL=sqlite:////tmp/demo.sqlite3 inodli demo --no-serve --json
    """
    _setup_django()
    _migrate()
    from inodli.edc.demo.generator import StudyExistsError, build_demo_study
    from inodli.edc.demo.users import DEMO_USERS

    result: dict[str, Any] = {"database": _database_label()}
    try:
        summary = build_demo_study(seed=seed)
        result |= {
            "created": True,
            "subjects": summary.subjects,
            "screen_failures": summary.screen_failures,
            "clinical": summary.clinical,
        }
    except StudyExistsError as error:
        result |= {"created": False, "message": str(error)}
    result["logins"] = [
        {
            "username": u.username,
            "password": u.password,
            "role": u.role.value,
            "language": u.language,
        }
        for u in DEMO_USERS
    ]
    result["url"] = f"http://{host}:{port}/"
    if as_json:
        click.echo(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        if result["created"]:
            click.echo(
                f"Built the demo study in {result['database']}: {result['subjects']} patients, {result['screen_failures']} screen failures."
            )
            for name, count in sorted(summary.clinical.items()):
                click.echo(f"  {name}: {count}")
        else:
            click.echo(f"Demo study not rebuilt: {result['message']}.")
        click.echo("Logins (username / password, role):")
        for login in result["logins"]:
            click.echo(
                f"  {login['username']:<13} {login['password']:<19} {login['role']} ({login['language']})"
            )
        click.echo(f"URL: {result['url']}")
    if not no_serve:
        _serve(host, port)


@click.command("serve")
@_HOST
@_PORT
@click.option("--no-migrate", is_flag=True, help="Do not apply pending migrations first.")
@click.option(
    "--threads", default=16, show_default=True, type=click.IntRange(1, 64), help="Worker threads."
)
@click.option("--quiet", is_flag=True, help="Do not log every request.")
def serve(host: str, port: int, no_migrate: bool, threads: int, quiet: bool) -> None:
    """Serve the data capture application with a multi-threaded WSGI server.

    \b
    Examples:
      inodli serve
      DATABASE_URL=postgres://postgres@127.0.0.1:5432/inodli inodli serve --port 8080
    """
    _setup_django()
    if not no_migrate:
        _migrate()
    _serve(host, port, threads, quiet)


@click.command(
    "manage",
    context_settings={
        "ignore_unknown_options": True,
        "allow_extra_args": True,
        "help_option_names": [],
    },
)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Django's manage.py for the EDC (migrate, createsuperuser, compilemessages, ...).

    \b
    Examples:
      inodli manage migrate
      inodli manage createsuperuser
      inodli manage help
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inodli.edc.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["inodli manage", *args])
