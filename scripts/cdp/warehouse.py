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


READERS = {".csv": "read_csv", ".parquet": "read_parquet", ".json": "read_json_auto",
           ".jsonl": "read_json_auto", ".ndjson": "read_json_auto"}


def load_file(con: duckdb.DuckDBPyConnection, table, path: Path) -> dict:
    """Append a file's rows to a raw contract table, matching columns by name.

    Columns the contract does not know are reported and left out; contract columns the
    file lacks are left null; `_loaded_at` defaults to now. Values go in as text where the
    file's type does not cast, so staging can flag them instead of the load failing.
    """
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise ValueError(f"{path.name}: unsupported file type (use {', '.join(READERS)})")
    if not path.is_file():
        raise FileNotFoundError(f"no file at {path}")
    relation = f"{reader}('{str(path).replace(chr(39), chr(39) * 2)}')"
    file_columns = [row[0] for row in con.execute(f"describe select * from {relation}").fetchall()]
    contract_columns = dict(table.columns)
    known = [c for c in file_columns if c in contract_columns]
    if not known:
        raise ValueError(f"{path.name} has none of the columns of raw.{table.name}")
    select = [f'try_cast("{c}" as {contract_columns[c]}) as "{c}"' for c in known
              if c != "_loaded_at"]
    loaded_at = ('coalesce(try_cast("_loaded_at" as timestamp), current_timestamp)'
                 if "_loaded_at" in known else "current_timestamp")
    select.append(f'{loaded_at}::timestamp as "_loaded_at"')
    rows = con.execute(
        f"insert into raw.{table.name} by name select {', '.join(select)} from {relation}"
    ).fetchone()[0]
    return {
        "table": table.name,
        "rows": rows,
        "ignored_columns": [c for c in file_columns if c not in contract_columns],
        "missing_columns": [c for c in contract_columns if c not in file_columns
                            and c != "_loaded_at"],
    }
