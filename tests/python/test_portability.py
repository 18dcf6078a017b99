"""The SQL stays portable: DuckDB-only functions and syntax appear only in `duckdb__`
implementations of dispatched macros (`adapter.dispatch`), which another engine replaces
with its own (`spark__...`). dbt's cross-database macros (`dbt.dateadd`, `dbt.any_value`,
...) and the project's own (`cdp.regex_full_match`, ...) are called with a namespace, so
their names here never count."""

from __future__ import annotations

import hashlib
import json
import re

import duckdb
import pytest
from conftest import ROOT, run

SQL_DIRS = ["models", "macros", "tests", "snapshots", "analyses"]

# functions (and syntax) DuckDB has and Spark SQL lacks or spells differently
DUCKDB_ONLY_FUNCTIONS = [
    r"list_\w+", "list", "struct_pack", "unnest", "array_length", "string_split", "str_split",
    "regexp_matches", "regexp_full_match", "jaro_winkler_similarity", "jaro_similarity",
    "damerau_levenshtein", "strip_accents", "strptime", "try_strptime",
    "epoch_ms", "arg_max", "arg_min", "json_extract_string", "getvariable", "try_cast",
    "string_agg", "group_concat", "any_value", "count_if",
]
# a call, not a macro of the same name (`{% macro strip_accents(column) %}`) nor a namespaced
# call of one (`cdp.strip_accents(...)`)
CALL = re.compile(r"(?<![\w.])(?<!macro )(" + "|".join(DUCKDB_ONLY_FUNCTIONS) + r")\s*\(",
                  re.IGNORECASE)
# ... and a column quoted with double quotes inside a macro argument ('"timestamp"'): a
# string literal on Spark, so the column read as the text "timestamp" (adapter.quote instead)
SYNTAX = re.compile(r"::\s*[a-z]|\bqualify\b|->>|'\"\w+\"'", re.IGNORECASE)

DUCKDB_MACRO = re.compile(r"{%-?\s*macro\s+duckdb__.*?{%-?\s*endmacro\s*-?%}", re.DOTALL)
JINJA_COMMENT = re.compile(r"{#.*?#}", re.DOTALL)
SQL_COMMENT = re.compile(r"--[^\n]*")


def portable_text(sql: str) -> str:
    """The SQL every engine runs: without comments and DuckDB-only macro implementations."""
    return SQL_COMMENT.sub("", JINJA_COMMENT.sub("", DUCKDB_MACRO.sub("", sql)))


def findings(sql: str) -> list[str]:
    text = portable_text(sql)
    return [m.group(0) for m in CALL.finditer(text)] + [m.group(0) for m in SYNTAX.finditer(text)]


def test_duckdb_only_sql_lives_in_duckdb_implementations():
    found = {}
    for folder in SQL_DIRS:
        for path in sorted((ROOT / folder).rglob("*.sql")):
            hits = findings(path.read_text())
            if hits:
                found[str(path.relative_to(ROOT))] = hits
    assert found == {}


@pytest.mark.parametrize("sql", [
    "select any_value(x) from t",
    "select list(x) from t",
    "select x::varchar from t",
    "select * from t qualify row_number() over () = 1",
    "{% macro spark__f() %}regexp_full_match(a, b){% endmacro %}",
    "select {{ cdp.to_timestamp('\"timestamp\"') }} as occurred_at from t",
])
def test_the_scan_finds_duckdb_only_sql(sql):
    assert findings(sql)


@pytest.mark.parametrize("sql", [
    "select {{ dbt.any_value('x') }}, {{ cdp.regex_full_match('a', 'b') }} from t",
    "{% macro duckdb__f() %}regexp_full_match(a, b){% endmacro %}",
    "select 1 -- any_value(x) in a comment\n{# list(x) #}",
    "{% set names = rows | map(attribute='name') | list %}",
    "{% macro strip_accents(column) %}{{ adapter.dispatch('strip_accents', 'cdp')(column) }}",
])
def test_the_scan_leaves_portable_sql_alone(sql):
    assert findings(sql) == []


def test_every_dispatched_macro_has_a_default_implementation():
    """Another engine then only writes the implementations whose default it cannot run."""
    macros = "\n".join(p.read_text() for p in (ROOT / "macros").rglob("*.sql"))
    dispatched = set(re.findall(r"adapter\.dispatch\('(\w+)', 'cdp'\)", macros))
    defined = set(re.findall(r"{%-?\s*macro\s+(\w+)\s*\(", macros))
    assert len(dispatched) >= 10
    assert sorted(m for m in dispatched if f"default__{m}" not in defined) == []


def test_spark_literals_keep_backslashes_and_quotes(tmp_path):
    # Spark SQL reads `\` in a string literal as an escape and `''` as two literals side by
    # side: regex and datetime patterns reach Spark through cdp.spark__string_literal
    # (decision 0007). Compiled on DuckDB, by calling the Spark implementations directly.
    sql = ("select {{ cdp.spark__string_literal('\\\\+?0*1?(0+)') }} as phone_pattern, "
           "{{ cdp.spark__string_literal(cdp.datetime_pattern('%Y-%m-%dT%H:%M:%S')) }} as iso, "
           "{{ cdp.default__string_literal(cdp.datetime_pattern('%Y-%m-%dT%H:%M:%S')) }} as ansi, "
           "{{ cdp.default__string_literal(cdp.datetime_pattern('%d/%m/%Y')) }} as day_first, "
           "{{ cdp.default__string_literal(cdp.datetime_pattern('%B %d, %Y')) }} as month_name, "
           "{{ cdp.default__string_literal(cdp.datetime_pattern('%Y%m%d')) }} as compact")
    printed = run(["dbt", "compile", "--inline", sql], tmp_path / "w.duckdb",
                  tmp_path / "target").stdout
    compiled = printed.split("Compiled inline node is:")[1]
    assert r"'\\+?0*1?(0+)' as phone_pattern" in compiled
    assert r"'yyyy-M-d\'T\'H:m:s' as iso" in compiled
    assert "'yyyy-M-d''T''H:m:s' as ansi" in compiled
    # one-letter day and month read `1/3/1986` as strptime does; adjacent fields keep widths
    assert "'d/M/yyyy' as day_first" in compiled
    assert "'MMMM d, yyyy' as month_name" in compiled
    assert "'yyyyMMdd' as compact" in compiled


# Spark's conv() as Hive defines it, for the one use the default hash_id makes of it: hex
# digits read as a 64-bit number, printed signed (a negative to_base)
HIVE_CONV = """
    create macro conv(digits, from_base, to_base) as cast(
        cast(cast('0x' || digits as ubigint) as hugeint)
        - case when cast('0x' || digits as ubigint) >= cast(9223372036854775808 as ubigint)
               then cast(18446744073709551616 as hugeint) else 0 end
        as varchar)
"""


def test_integer_ids_are_the_same_bits_on_every_engine(tmp_path):
    # record_id and value_id must not depend on the engine (decision 0007): the first 8
    # bytes of the MD5 digest, little-endian, top bit cleared. DuckDB's implementation and
    # the default one (Spark's, run here with a stand-in for Hive's conv) against hashlib.
    texts = ["crm_contacts:C-000123", "email:anna.lopez@example.com", "phone:+4915112345678",
             "name:josé núñez", "", "x" * 300]
    expected = [int.from_bytes(hashlib.md5(t.encode()).digest()[:8], "little") & (2**63 - 1)
                for t in texts]
    assert any(e >= 2**62 for e in expected)  # the high bits are exercised
    columns = ", ".join(f"{{{{ cdp.{engine}__hash_id('t.text') }}}} as {engine}_id"
                        for engine in ("duckdb", "default"))
    sql = compile_inline(f"select t.i, {columns} from texts as t order by t.i", tmp_path)
    con = duckdb.connect()
    try:
        con.execute(HIVE_CONV)
        con.execute("create table texts (i integer, text varchar)")
        con.executemany("insert into texts values (?, ?)", list(enumerate(texts)))
        ids = con.execute(sql).fetchall()
    finally:
        con.close()
    assert [(duckdb_id, default_id) for _, duckdb_id, default_id in ids] == \
        [(e, e) for e in expected]


def test_upserts_take_the_engines_strategy(tmp_path):
    # dbt-spark has no delete+insert: models that replace rows by their key name no
    # strategy of their own but cdp.upsert_strategy(), which Spark answers with merge
    # (decision 0007). Models that only add rows append on every engine.
    strategies = {}
    for path in sorted((ROOT / "models").rglob("*.sql")):
        for found in re.findall(r"incremental_strategy\s*=\s*([^,\n]+)", path.read_text()):
            strategies.setdefault(found.strip(), []).append(path.stem)
    assert sorted(strategies) == ["'append'", "cdp.upsert_strategy()"]
    assert len(strategies["cdp.upsert_strategy()"]) >= 20
    sql = ("select '{{ cdp.default__upsert_strategy() }}' as default_strategy, "
           "'{{ cdp.spark__upsert_strategy() }}' as spark_strategy, "
           "'{{ cdp.upsert_strategy() }}' as this_engine")
    printed = run(["dbt", "compile", "--inline", sql], tmp_path / "w.duckdb",
                  tmp_path / "target").stdout
    compiled = printed.split("Compiled inline node is:")[1]
    assert "'delete+insert' as default_strategy" in compiled
    assert "'merge' as spark_strategy" in compiled
    assert "'delete+insert' as this_engine" in compiled


def test_hooks_delete_only_in_incremental_runs(built_db):
    # Spark tables without Delta Lake or Iceberg cannot DELETE, so a hook that deletes
    # waits for an incremental run: a full build's SQL never writes the rows such a hook
    # removes (placeholders, zero counts, records that left identity), and a
    # `dbt run --full-refresh` then runs on plain Parquet tables too (decision 0007).
    _, target = built_db
    manifest = json.loads((target / "manifest.json").read_text())
    macros = "\n".join(p.read_text() for p in (ROOT / "macros").rglob("*.sql"))
    gated_macro = re.search(r"{% macro delete_records_that_left_identity\(\) -%}\s*"
                            r"{%- if is_incremental\(\) -%}", macros)
    assert gated_macro, "cdp.delete_records_that_left_identity must test is_incremental()"
    ungated, deleting = [], 0
    for node in manifest["nodes"].values():
        if node["resource_type"] not in ("model", "snapshot"):
            continue
        for hook in node["config"]["pre-hook"] + node["config"]["post-hook"]:
            text = hook["sql"].strip()
            if "delete" not in text.lower():
                continue
            deleting += 1
            if not (text.startswith("{% if is_incremental() %}")
                    or text == "{{ cdp.delete_records_that_left_identity() }}"):
                ungated.append(f"{node['name']}: {text[:60]}")
    assert deleting >= 15
    assert ungated == []


def components_sql(implementation: str, nodes: str, edges: str, rounds: int) -> str:
    return (f"with graph_nodes as ({nodes}), graph_edges as ({edges}), "
            f"{{{{ cdp.{implementation}__connected_components('graph_nodes', 'graph_edges', "
            f"{rounds}) }}}} select node_id, component_id from components")


def compile_inline(sql: str, tmp_path) -> str:
    printed = run(["dbt", "compile", "--inline", sql], tmp_path / "w.duckdb",
                  tmp_path / "target").stdout
    return printed.split("Compiled inline node is:")[1]


def test_spark_components_match_the_default_ones(built_db, tmp_path):
    # Spark's connected components (label propagation, each round reading the last once, so
    # that Spark's CTE inlining does not multiply the plan) run here on DuckDB: the same
    # components as the pointer-jumping default, on the test warehouse's identity graph.
    db, _ = built_db
    nodes = "select node_id from intermediate.int_identity__graph_nodes"
    edges = "select node_a, node_b from intermediate.int_identity__graph_edges"
    spark = compile_inline(components_sql("spark", nodes, edges, 20), tmp_path)
    default = compile_inline(components_sql("default", nodes, edges, 12), tmp_path)
    con = duckdb.connect(str(db), read_only=True)
    try:
        counts = con.execute(
            f"select count(*), count(distinct component_id), "
            f"(select count(*) from (({spark}) except ({default}))), "
            f"(select count(*) from (({default}) except ({spark}))) from ({spark})"
        ).fetchone()
    finally:
        con.close()
    nodes_count, components_count, only_spark, only_default = counts
    assert nodes_count > 5_000 and components_count < nodes_count
    assert (only_spark, only_default) == (0, 0)


def test_spark_components_fail_loudly_before_the_fixed_point(tmp_path):
    # a chain 1-2-...-7: node 7 is six steps from node 1, so six rounds move labels and a
    # seventh shows nothing moves any more; with six rounds the query must fail, not answer
    nodes = "select * from range(1, 8) as t(node_id)"
    edges = "select node_id - 1 as node_a, node_id as node_b from range(2, 8) as t(node_id)"
    con = duckdb.connect()
    try:
        answer = con.execute(compile_inline(components_sql("spark", nodes, edges, 7),
                                            tmp_path)).fetchall()
        assert sorted(answer) == [(n, 1) for n in range(1, 8)]
        with pytest.raises(duckdb.Error, match="did not converge in 6 rounds"):
            con.execute(compile_inline(components_sql("spark", nodes, edges, 6), tmp_path))
    finally:
        con.close()
