{#
    What the warehouse holds, read by hooks that must see the catalog as it is now (the
    pseudonymization hook). dbt's adapter.get_columns_in_relation would open a transaction
    that dbt rolls back after the hooks, so these run plain queries.

    cdp.catalog(schemas): the tables and views of the schemas, as a dict keyed by
    `<schema>.<name>`, each {schema, name, kind ('table' or 'view'), comment, columns (in
    the table's order)}; a schema that does not exist adds nothing.

    Spark has no information_schema before Unity Catalog: it lists each schema's tables and
    describes each once (decision 0007).
#}
{% macro catalog(schemas) -%}
    {{ return(adapter.dispatch('catalog', 'cdp')(schemas)) }}
{%- endmacro %}

{% macro default__catalog(schemas) -%}
    {%- set in_schemas = "('" ~ schemas | join("', '") ~ "')" -%}
    {%- set relations = {} -%}
    {%- for row in run_query(
        "select table_schema, table_name, table_type, table_comment from information_schema.tables "
        ~ "where table_schema in " ~ in_schemas).rows -%}
        {%- do relations.update({row[0] ~ '.' ~ row[1]: {
            'schema': row[0], 'name': row[1], 'kind': 'view' if row[2] == 'VIEW' else 'table',
            'comment': row[3], 'columns': []}}) -%}
    {%- endfor -%}
    {%- for row in run_query(
        "select table_schema, table_name, column_name from information_schema.columns "
        ~ "where table_schema in " ~ in_schemas ~ " "
        ~ "order by table_schema, table_name, ordinal_position").rows
        if (row[0] ~ '.' ~ row[1]) in relations -%}
        {%- do relations[row[0] ~ '.' ~ row[1]].columns.append(row[2]) -%}
    {%- endfor -%}
    {{ return(relations) }}
{%- endmacro %}

{#
    `describe table extended` lists the columns first, then, after a blank or `#` row,
    partition details and the table's own (`Type`, `Comment`, ...).
#}
{% macro spark__catalog(schemas) -%}
    {%- set relations = {} -%}
    {%- for schema in schemas -%}
        {%- for name in cdp.spark_tables_in_schema(schema) -%}
            {%- set relation = {'schema': schema, 'name': name, 'kind': 'table', 'comment': none,
                                'columns': []} -%}
            {%- set listing = {'columns_done': false} -%}
            {%- for row in run_query('describe table extended ' ~ schema ~ '.' ~ name).rows -%}
                {%- if not row[0] or row[0].startswith('#') -%}
                    {%- do listing.update({'columns_done': true}) -%}
                {%- elif not listing.columns_done -%}
                    {%- do relation.columns.append(row[0]) -%}
                {%- elif row[0] == 'Type' -%}
                    {%- do relation.update({'kind': 'view' if row[1] == 'VIEW' else 'table'}) -%}
                {%- elif row[0] == 'Comment' -%}
                    {%- do relation.update({'comment': row[1]}) -%}
                {%- endif -%}
            {%- endfor -%}
            {%- do relations.update({schema ~ '.' ~ name: relation}) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(relations) }}
{%- endmacro %}

{% macro spark_tables_in_schema(schema) -%}
    {%- if run_query("show schemas like '" ~ schema ~ "'").rows | length == 0 -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set names = [] -%}
    {%- for row in run_query('show tables in ' ~ schema).rows if not row[2] -%}
        {%- do names.append(row[1]) -%}
    {%- endfor -%}
    {{ return(names | sort) }}
{%- endmacro %}


{#
    Statements that replace a table with the result of a query. Spark needs the table
    format named (Delta Lake by default, var cdp_spark_file_format), and only Delta and
    Iceberg tables can be replaced in place.
#}
{% macro replace_table_as(relation, sql) -%}
    {{ return(adapter.dispatch('replace_table_as', 'cdp')(relation, sql)) }}
{%- endmacro %}

{% macro default__replace_table_as(relation, sql) -%}
    {{ return(['create or replace table ' ~ relation ~ ' as ' ~ sql]) }}
{%- endmacro %}

{% macro spark__replace_table_as(relation, sql) -%}
    {%- set file_format = var('cdp_spark_file_format', 'delta') -%}
    {%- if file_format in ('delta', 'iceberg') -%}
        {{ return(['create or replace table ' ~ relation ~ ' using ' ~ file_format ~ ' as ' ~ sql]) }}
    {%- endif -%}
    {{ return(['drop table if exists ' ~ relation,
               'create table ' ~ relation ~ ' using ' ~ file_format ~ ' as ' ~ sql]) }}
{%- endmacro %}
