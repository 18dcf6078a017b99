"""The SQL stays portable: DuckDB-only functions and syntax appear only in `duckdb__`
implementations of dispatched macros (`adapter.dispatch`), which another engine replaces
with its own (`spark__...`). dbt's cross-database macros (`dbt.dateadd`, `dbt.any_value`,
...) and the project's own (`cdp.regex_full_match`, ...) are called with a namespace, so
their names here never count."""

from __future__ import annotations

import re

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
SYNTAX = re.compile(r"::\s*[a-z]|\bqualify\b|->>", re.IGNORECASE)

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
           "{{ cdp.default__string_literal(cdp.datetime_pattern('%B %d, %Y')) }} as month_name")
    printed = run(["dbt", "compile", "--inline", sql], tmp_path / "w.duckdb",
                  tmp_path / "target").stdout
    compiled = printed.split("Compiled inline node is:")[1]
    assert r"'\\+?0*1?(0+)' as phone_pattern" in compiled
    assert r"'yyyy-MM-dd\'T\'HH:mm:ss' as iso" in compiled
    assert "'yyyy-MM-dd''T''HH:mm:ss' as ansi" in compiled
    assert "'dd/MM/yyyy' as day_first" in compiled
    assert "'MMMM dd, yyyy' as month_name" in compiled
