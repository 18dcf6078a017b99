"""Connecting to the DuckDB warehouse file the dbt profile points at."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

DEFAULT_PATH = "warehouse/cdp.duckdb"


def database_path(root: Path, override: str | None = None) -> Path:
    """Same rule as profiles.yml: CDP_DUCKDB_PATH, else warehouse/cdp.duckdb, relative to root."""
    raw = override or os.environ.get("CDP_DUCKDB_PATH") or DEFAULT_PATH
    path = Path(raw)
    return path if path.is_absolute() else root / path


def connect(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    elif not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}: run `cdp init-raw` or `cdp generate`")
    return duckdb.connect(str(path), read_only=read_only)


def init_raw(con: duckdb.DuckDBPyConnection, tables) -> list[str]:
    """Create schema raw and every contract table that does not exist yet.

    Idempotent and never destructive: existing tables (and their rows) are left alone.
    Returns the names of the tables it created.
    """
    con.execute("create schema if not exists raw")
    existing = {
        row[0]
        for row in con.execute(
            "select table_name from information_schema.tables where table_schema = 'raw'"
        ).fetchall()
    }
    created = []
    for table in tables:
        if table.name not in existing:
            con.execute(table.create_sql())
            created.append(table.name)
    return created
