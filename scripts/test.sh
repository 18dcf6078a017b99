#!/usr/bin/env bash
# The whole test suite: set up, lint Python and SQL, then pytest (which generates a small
# dataset, runs `dbt build` with every data and unit test, and checks the results).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh

echo "== ruff"
ruff check scripts tests
echo "== sqlfluff lint (dbt templater)"
sqlfluff lint models tests analyses snapshots --processes 2
echo "== pytest"
pytest "$@"
