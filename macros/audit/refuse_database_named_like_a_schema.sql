{#
    on-run-start: DuckDB names a database file's catalog after the file, so a warehouse
    file named like one of the project's schemas (raw.duckdb, marts.duckdb) makes `raw.x`
    ambiguous between the catalog and the schema, and the build fails model by model with
    "Ambiguous reference to catalog or schema". Stop before anything runs, and say why.
#}
{% macro refuse_database_named_like_a_schema() -%}
    {%- if execute and target.type == 'duckdb' -%}
        {%- set schemas = ['audit', var('cdp_pseudonymized_schema')] -%}
        {%- for node in graph.nodes.values() | list + graph.sources.values() | list -%}
            {%- do schemas.append(node.schema) -%}
        {%- endfor -%}
        {%- if target.database | lower in schemas | map('lower') | list -%}
            {%- do exceptions.raise_compiler_error(
                'The warehouse file is named "' ~ target.database ~ '", like a schema of this project'
                ~ ' (' ~ schemas | unique | sort | join(', ') ~ '). DuckDB names the database after'
                ~ ' the file, so "' ~ target.database ~ '.<table>" would be ambiguous. Rename the file'
                ~ ' (CDP_DUCKDB_PATH), for example to warehouse/cdp.duckdb.') -%}
        {%- endif -%}
    {%- endif -%}
    select 1 as database_name_checked
{%- endmacro %}
