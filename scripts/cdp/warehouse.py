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


# schemas of the project and of the CLI: DuckDB names a file's catalog after the file, so a
# warehouse file named like one (raw.duckdb) makes `raw.<table>` ambiguous (the dbt side:
# macro refuse_database_named_like_a_schema)
SCHEMAS = ("raw", "truth", "audit", "staging", "intermediate", "marts", "marts_pseudonymized",
           "seeds", "snapshots", "main")


def connect(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    if path.stem.lower() in SCHEMAS:
        raise ValueError(
            f"the warehouse file is named {path.name}, like the schema {path.stem}: DuckDB names "
            f"the database after the file, so {path.stem}.<table> would be ambiguous. Use "
            "another name (CDP_DUCKDB_PATH or --database), for example warehouse/cdp.duckdb")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    elif not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}: run `cdp init-raw` or `cdp generate`")
    return duckdb.connect(str(path), read_only=read_only)


def has_table(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    """Whether schema.table exists (a table or a view)."""
    return bool(con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, table]).fetchone()[0])


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
