#!/usr/bin/env bash
# The main job on the embedded default: set up, generate ~10k people, dbt build, summary.
#   PEOPLE=100000 scripts/demo.sh     for a bigger dataset
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source scripts/env.sh

PEOPLE="${PEOPLE:-10000}"
SEED="${SEED:-42}"
echo "demo: generating $PEOPLE people (seed $SEED) into ${CDP_DUCKDB_PATH:-warehouse/cdp.duckdb}"
cdp generate --people "$PEOPLE" --seed "$SEED" --force
echo "demo: dbt build"
dbt build --quiet --warn-error-options '{"silence": ["DeprecationsSummary"]}' || {
    echo "demo: dbt build failed; run 'dbt build' to see the full log" >&2
    exit 1
}
cdp summary
