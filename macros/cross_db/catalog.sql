{#
    What the warehouse holds, read by hooks that must see the catalog as it is now (the
    pseudonymization hook). dbt's adapter.get_columns_in_relation would open a transaction
    that dbt rolls back after the hooks, so these run plain queries.

    cdp.catalog_relations(schema): the tables and views of a schema, each as
    {name, kind ('table' or 'view'), comment}; empty when the schema does not exist.
    cdp.catalog_columns(schemas): (schema, table, column) for every column of their tables
    and views, in each table's column order.

    Spark has no information_schema before Unity Catalog: it lists the schema's tables and
    describes each (decision 0007).
#}
{% macro catalog_relations(schema) -%}
    {{ return(adapter.dispatch('catalog_relations', 'cdp')(schema)) }}
{%- endmacro %}

{% macro default__catalog_relations(schema) -%}
    {%- set found = run_query(
        "select table_name, table_type, table_comment from information_schema.tables "
        ~ "where table_schema = '" ~ schema ~ "'") -%}
    {%- set relations = [] -%}
    {%- for row in found.rows -%}
        {%- do relations.append({'name': row[0], 'kind': 'view' if row[1] == 'VIEW' else 'table',
                                 'comment': row[2]}) -%}
    {%- endfor -%}
    {{ return(relations) }}
{%- endmacro %}

{% macro spark__catalog_relations(schema) -%}
    {%- set relations = [] -%}
    {%- for name in cdp.spark_tables_in_schema(schema) -%}
        {%- set details = {} -%}
        {%- for row in run_query('describe table extended ' ~ schema ~ '.' ~ name).rows -%}
            {%- do details.update({row[0]: row[1]}) -%}
        {%- endfor -%}
        {%- do relations.append({'name': name,
                                 'kind': 'view' if details.get('Type') == 'VIEW' else 'table',
                                 'comment': details.get('Comment')}) -%}
    {%- endfor -%}
    {{ return(relations) }}
{%- endmacro %}


{% macro catalog_columns(schemas) -%}
    {{ return(adapter.dispatch('catalog_columns', 'cdp')(schemas)) }}
{%- endmacro %}

{% macro default__catalog_columns(schemas) -%}
    {%- set found = run_query(
        "select table_schema, table_name, column_name from information_schema.columns "
        ~ "where table_schema in ('" ~ schemas | join("', '") ~ "') "
        ~ "order by table_schema, table_name, ordinal_position") -%}
    {%- set columns = [] -%}
    {%- for row in found.rows -%}
        {%- do columns.append((row[0], row[1], row[2])) -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}

{% macro spark__catalog_columns(schemas) -%}
    {%- set columns = [] -%}
    {%- for schema in schemas -%}
        {%- for name in cdp.spark_tables_in_schema(schema) -%}
            {#- `describe table` lists the columns first, then partition details after a
                blank or `#` row -#}
            {%- set listing = {'done': false} -%}
            {%- for row in run_query('describe table ' ~ schema ~ '.' ~ name).rows -%}
                {%- if not row[0] or row[0].startswith('#') -%}
                    {%- do listing.update({'done': true}) -%}
                {%- elif not listing.done -%}
                    {%- do columns.append((schema, name, row[0])) -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(columns) }}
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
