"""Shared fixtures: a small generated warehouse built once per test session."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
TEST_PEOPLE = int(os.environ.get("CDP_TEST_PEOPLE", "3000"))


def run(cmd: list[str], db: Path, target: Path | None = None, check: bool = True,
        env: dict[str, str] | None = None):
    env = os.environ | {
        "CDP_DUCKDB_PATH": str(db),
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_PROFILES_DIR": str(ROOT),
    } | (env or {})
    if target is not None and cmd[0] == "dbt":
        cmd = cmd + ["--target-path", str(target), "--log-path", str(target / "logs")]
    exe = str(BIN / cmd[0])
    result = subprocess.run([exe, *cmd[1:]], cwd=ROOT, env=env, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(
            f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stdout[-6000:]}\n"
            f"{result.stderr[-3000:]}"
        )
    return result


def run_results(target: Path) -> list[dict]:
    """Results of the nodes dbt ran (exposures are listed too, as no-ops: left out)."""
    results = json.loads((target / "run_results.json").read_text())["results"]
    return [r for r in results if not r["unique_id"].startswith("exposure.")]


@pytest.fixture(scope="session")
def generated_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("generated") / "cdp.duckdb"
    run(["cdp", "generate", "--people", str(TEST_PEOPLE), "--seed", "7"], db)
    return db


@pytest.fixture(scope="session")
def built_db(generated_db, tmp_path_factory) -> tuple[Path, Path]:
    """The generated warehouse after a full `dbt build` (models, data tests, unit tests)."""
    target = tmp_path_factory.mktemp("target")
    run(["dbt", "build"], generated_db, target)
    return generated_db, target


def query(db: Path, sql: str, params=None):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()
