"""The raw landing contract, read from the dbt source declarations.

`models/staging/<source>/_<source>__sources.yml` is the single place where the raw tables,
their columns and types are written down. dbt documents and tests them from there, and
`cdp init-raw` creates them from there, so the two can never drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

RAW_SCHEMA = "raw"


class ContractError(Exception):
    """The source declarations are missing or inconsistent."""


@dataclass(frozen=True)
class RawTable:
    source: str
    name: str
    description: str
    columns: tuple[tuple[str, str], ...]  # (column name, SQL type)

    @property
    def column_names(self) -> list[str]:
        return [name for name, _ in self.columns]

    def create_sql(self) -> str:
        cols = ",\n    ".join(f'"{name}" {dtype}' for name, dtype in self.columns)
        return f"create table if not exists {RAW_SCHEMA}.{self.name} (\n    {cols}\n)"


def project_root(start: Path | None = None) -> Path:
    """The dbt project directory: the first parent of `start` holding dbt_project.yml."""
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "dbt_project.yml").is_file():
            return candidate
    raise ContractError(
        f"no dbt_project.yml in {here} or its parents: run cdp from the project directory"
    )


def load_contract(root: Path | None = None) -> list[RawTable]:
    """Every raw table declared in the staging sources files, in a stable order."""
    root = root or project_root()
    files = sorted((root / "models" / "staging").glob("*/_*__sources.yml"))
    if not files:
        raise ContractError(f"no sources files under {root / 'models' / 'staging'}")
    tables: list[RawTable] = []
    for path in files:
        doc = yaml.safe_load(path.read_text()) or {}
        for source in doc.get("sources", []):
            if source.get("schema") != RAW_SCHEMA:
                continue
            for table in source.get("tables", []):
                columns = []
                for column in table.get("columns", []):
                    if "data_type" not in column:
                        raise ContractError(
                            f"{path.name}: {table['name']}.{column['name']} has no data_type"
                        )
                    columns.append((column["name"], column["data_type"]))
                if "_loaded_at" not in [name for name, _ in columns]:
                    raise ContractError(f"{path.name}: {table['name']} has no _loaded_at column")
                tables.append(
                    RawTable(
                        source=source["name"],
                        name=table["name"],
                        description=table.get("description", ""),
                        columns=tuple(columns),
                    )
                )
    return tables
