#!/usr/bin/env bash
# The whole test suite: set up, lint Python and SQL, then pytest (which generates a small
# dataset, runs `dbt build` with every data and unit test, and checks the results).
set -euo pipefail
shopt -s globstar
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh

echo "== ruff"
ruff check scripts tests
echo "== sqlfluff lint (dbt templater)"
sql_dirs=()
for d in models tests analyses snapshots; do
    if compgen -G "$d/**/*.sql" >/dev/null || compgen -G "$d/*.sql" >/dev/null; then sql_dirs+=("$d"); fi
done
# against an empty warehouse, so a local build does not switch incremental models to their
# incremental branch and CI lints the same SQL as a developer does
lint_dir="$(mktemp -d)"
CDP_DUCKDB_PATH="$lint_dir/lint.duckdb" sqlfluff lint "${sql_dirs[@]}" --processes 2
rm -rf "$lint_dir"
echo "== pytest"
# two workers, one per core of the CI machine (CDP_TEST_WORKERS; 0 runs one process);
# a test file stays on one worker, so its module fixtures are built once
pytest -n "${CDP_TEST_WORKERS:-2}" --dist loadfile "$@"
