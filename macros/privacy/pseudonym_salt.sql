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
    Spark: Spark SQL replaces `${env:NAME}` in a statement's text with the Spark driver's
    environment variable before parsing it (spark.sql.variable.substitute, on by default),
    so the SQL that dbt logs names the variable, not the salt. The driver is dbt's own
    process with `method: session`; a Thrift server must be started with the variable. There
    is no development default here: where the driver lacks the variable, Spark leaves the
    text as it is, and the hook stops the run (cdp.pseudonym_salt_digest). The salt lands
    inside a string literal: a quote in it breaks the statement, and a backslash starts an
    escape (Spark then hashes with another salt than DuckDB would).
#}
{% macro spark__pseudonym_salt() -%}
    '${env:CDP_PSEUDONYM_SALT}'
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


{#
    The MD5 digest of the salt the engine reads, for the copies' fingerprints (the salt
    itself stays in the database). Stops the run rather than hash without a salt (md5 of
    the bare value is reversible with a list of emails) when the salt is null (DuckDB
    without the profile's plugin, or CDP_PSEUDONYM_SALT empty), empty, or a `${...}`
    reference the engine left as it was (Spark's driver lacks the variable; the pattern is
    assembled in the query so that Spark does not replace it too).
#}
{% macro pseudonym_salt_digest() -%}
    {%- set salt = cdp.pseudonym_salt() -%}
    {%- set found = run_query(
        'select md5(' ~ salt ~ ') as digest, case'
        ~ ' when ' ~ salt ~ " is null then 'missing'"
        ~ ' when ' ~ salt ~ " = '' then 'empty'"
        ~ ' when substr(' ~ salt ~ ", 1, 2) = concat('$', '{') then 'unreplaced'"
        ~ ' end as problem').rows[0] -%}
    {%- set salt_sql = salt | trim -%}
    {%- if found[1] == 'missing' -%}
        {%- do exceptions.raise_compiler_error(
            'marts_pseudonymized: no pseudonymization salt in the session (' ~ salt_sql ~ ' is null).'
            ~ ' Set CDP_PSEUDONYM_SALT to a non-empty secret, and load the plugin that hands it'
            ~ ' to DuckDB in the profile: plugins: [{module: cdp.dbt_plugin}] (see profiles.yml)') -%}
    {%- elif found[1] == 'empty' -%}
        {%- do exceptions.raise_compiler_error(
            'marts_pseudonymized: the pseudonymization salt is empty. Set CDP_PSEUDONYM_SALT'
            ~ ' to a non-empty secret') -%}
    {%- elif found[1] == 'unreplaced' -%}
        {%- do exceptions.raise_compiler_error(
            'marts_pseudonymized: the engine did not replace ' ~ salt_sql ~ ' with a salt: set'
            ~ ' CDP_PSEUDONYM_SALT in the environment of its driver (with method: session, the'
            ~ ' environment of dbt)') -%}
    {%- endif -%}
    {{ return(found[0]) }}
{%- endmacro %}
