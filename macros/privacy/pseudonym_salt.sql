{#
    The SQL expression that yields the pseudonymization salt (cdp.create_pseudonymized_schema
    hashes personal columns as md5(salt || value)). It must not be the salt itself: dbt keeps
    the SQL it runs in logs/dbt.log, run_results.json and manifest.json, and `dbt docs
    generate` publishes the manifest.

    DuckDB: the session variable that the profile's plugin (scripts/cdp/dbt_plugin.py) sets
    from CDP_PSEUDONYM_SALT on every connection, as a bound parameter.
#}
{% macro pseudonym_salt() -%}
    {{ return(adapter.dispatch('pseudonym_salt', 'cdp')()) }}
{%- endmacro %}

{% macro duckdb__pseudonym_salt() -%}
    getvariable('cdp_pseudonym_salt')
{%- endmacro %}

{#
    Other engines: the salt as a literal, which lands in dbt's logs and artifacts. Before
    production on such an engine, add `<adapter>__pseudonym_salt` that reads a secret the
    engine holds (Databricks: `secret('<scope>', '<key>')`). The default salt is the
    plugin's DEVELOPMENT_SALT, so both paths hash the demo data alike.
#}
{% macro default__pseudonym_salt() -%}
    '{{ env_var("CDP_PSEUDONYM_SALT", "development-salt-set-CDP_PSEUDONYM_SALT") | replace("'", "''") }}'
{%- endmacro %}
