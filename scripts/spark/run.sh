#!/usr/bin/env bash
# The portability run on Spark (decision 0007), outside CI: a local Spark 3.5 session with
# an embedded metastore and plain Parquet tables (no Delta Lake jars without Maven Central).
#   bash scripts/spark/run.sh [people]     (default 3000; needs Java 17 and `bash scripts/setup.sh`)
# Work folder: CDP_SPARK_WORK (default .spark/, git-ignored): a virtualenv with dbt-spark
# and pyspark, the generated data, the metastore and the tables. Steps:
#   1. generate raw data into DuckDB, land it in Spark (schema raw);
#   2. dbt seed, dbt run --full-refresh, dbt test, each against Spark. Parquet tables
#      cannot merge or delete, so the upserts append (cdp_upsert_strategy) and the run is
#      a full refresh only; the snapshot needs Delta, so the one model reading it fails;
#   3. Spark's Jaro-Winkler against DuckDB's on the data's names (check_similarity.py);
#   4. the same raw data built on DuckDB, and every table and view of both compared row
#      by row (compare_engines.py);
#   5. the run's own pseudonymization salt looked for in every log and artifact of both.
set -uo pipefail
cd "$(dirname "$0")/../.."
people="${1:-3000}"
export CDP_SPARK_WORK="${CDP_SPARK_WORK:-$PWD/.spark}"
export DBT_PROFILES_DIR="$PWD/scripts/spark" DO_NOT_TRACK=1 DBT_SEND_ANONYMOUS_USAGE_STATS=false
mkdir -p "$CDP_SPARK_WORK"
# a salt of this run's own (Spark has no development default): both engines must hash with
# it alike, and it must appear in none of their logs and artifacts (step 5)
export CDP_PSEUDONYM_SALT="${CDP_PSEUDONYM_SALT:-spark-check-$RANDOM$RANDOM$RANDOM}"
venv="$CDP_SPARK_WORK/venv"
if [ ! -x "$venv/bin/dbt" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "dbt-core==1.11.16" "dbt-spark[session]==1.11.0" "pyspark==3.5.7" \
        "duckdb==2.0.0" -c constraints.txt
fi
rm -rf "$CDP_SPARK_WORK/warehouse" "$CDP_SPARK_WORK/metastore_db" "$CDP_SPARK_WORK/logs"
duckdb_file="$CDP_SPARK_WORK/generated.duckdb"
(source scripts/env.sh && CDP_DUCKDB_PATH="$duckdb_file" cdp generate --people "$people" --force >/dev/null)
(cd scripts/spark && "$venv/bin/python" load_raw.py "$duckdb_file")
vars='{cdp_upsert_strategy: append, cdp_spark_file_format: parquet}'
dbt_args=(--target-path "$CDP_SPARK_WORK/target" --log-path "$CDP_SPARK_WORK/logs" --vars "$vars")
for step in "seed --full-refresh" "run --full-refresh" "test"; do
    # shellcheck disable=SC2086
    "$venv/bin/dbt" $step "${dbt_args[@]}" > "$CDP_SPARK_WORK/${step%% *}.log" 2>&1
    echo "dbt $step: $(grep -a 'Done\.' "$CDP_SPARK_WORK/${step%% *}.log" | sed 's/.*Done\. //')"
    sed 's/\x1b\[[0-9;]*m//g' "$CDP_SPARK_WORK/${step%% *}.log" | grep -a -E "^[0-9:]+ +(Failure|Error) in " \
        | sed 's/^[0-9:]* */  /'
done
(source scripts/env.sh && CDP_DUCKDB_PATH="$CDP_SPARK_WORK/compile.duckdb" dbt compile -q \
    --target-path "$CDP_SPARK_WORK/target_compile" --log-path "$CDP_SPARK_WORK/logs" \
    --profiles-dir . --inline "select {{ cdp.spark__string_similarity('p.a', 'p.b') }} as sim from pairs as p" \
    > "$CDP_SPARK_WORK/similarity.sql")
(cd scripts/spark && "$venv/bin/python" check_similarity.py "$duckdb_file" "$CDP_SPARK_WORK/similarity.sql")
echo "similarity: exit $?"
# the same raw data built on DuckDB, then compared table by table and record by record
cp "$duckdb_file" "$CDP_SPARK_WORK/built.duckdb"
(source scripts/env.sh && CDP_DUCKDB_PATH="$CDP_SPARK_WORK/built.duckdb" dbt build --quiet \
    --target-path "$CDP_SPARK_WORK/target_duckdb" --log-path "$CDP_SPARK_WORK/logs" --profiles-dir . \
    > "$CDP_SPARK_WORK/duckdb_build.log" 2>&1) || echo "DuckDB build failed: $CDP_SPARK_WORK/duckdb_build.log"
(cd scripts/spark && "$venv/bin/python" compare_engines.py "$CDP_SPARK_WORK/built.duckdb")
echo "comparison: exit $?"
if grep -r -l -F --exclude-dir=venv --exclude-dir=warehouse --exclude-dir=metastore_db \
        --exclude-dir=raw_parquet --exclude='*.duckdb' --exclude='*.wal' \
        -- "$CDP_PSEUDONYM_SALT" "$CDP_SPARK_WORK"; then
    echo "salt: written to the files above"
else
    echo "salt: in no log or artifact"
fi
