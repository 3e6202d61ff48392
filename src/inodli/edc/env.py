"""Settings from the environment through strict helpers that reject malformed values."""

from __future__ import annotations

import os
from urllib.parse import parse_qs, unquote, urlsplit

from inodli.errors import InputError

__all__ = ["env_bool", "env_list", "env_str", "parse_database_url"]


def env_str(name: str, default: str | None = None) -> str:
    """Return the variable ``name``; without a default it must be set and non-empty."""
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise InputError(name, "a non-empty environment variable", value)
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    """Parse ``1/0``, ``true/false``, ``yes/no``, ``on/off`` (any case); anything else is an error."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise InputError(name, "one of 1/0, true/false, yes/no, on/off", raw)


def env_list(name: str, default: list[str]) -> list[str]:
    """A comma-separated list; empty items are rejected."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    items = [item.strip() for item in raw.split(",")]
    if any(item == "" for item in items):
        raise InputError(name, "a comma-separated list without empty items", raw)
    return items


def parse_database_url(url: str) -> dict[str, object]:
    """Turn ``postgres://user:pass@host:port/name`` or ``sqlite:///path`` into a Django DATABASES entry.

    Examples
    --------
    >>> parse_database_url("postgres://postgres@127.0.0.1:5432/test")["NAME"]
    'test'
    >>> parse_database_url("sqlite:////tmp/x.sqlite3")["NAME"]
    '/tmp/x.sqlite3'
    """
    parts = urlsplit(url)
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise InputError(
                "DATABASE_URL", "postgres://user@host:port/DBNAME with a database name", url
            )
        options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "OPTIONS": options,
            "CONN_MAX_AGE": 60,
        }
    if parts.scheme == "sqlite":
        # sqlite:///relative.db -> "relative.db"; sqlite:////abs/path.db -> "/abs/path.db"
        name = unquote(parts.path)[1:]
        if not name:
            raise InputError(
                "DATABASE_URL", "sqlite:///relative/path or sqlite:////absolute/path", url
            )
        # IMMEDIATE: a write transaction takes the write lock at BEGIN, so two concurrent saves
        # queue (up to `timeout` s) instead of failing with "database is locked" mid-way.
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": name,
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    raise InputError("DATABASE_URL", "a postgres://... or sqlite:///... URL", url)
