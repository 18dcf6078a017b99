{#
    Spark: column descriptions reach the metastore as comments (persist_docs). A Hive
    metastore keeps a table column's comment in 256 characters (COLUMNS_V2.COMMENT), and a
    table built from a view inherits the view's column comments: `stg_quality__rejected_rows`
    failed to build on Spark from a 1,168-character description of `rejection_reason`
    (decision 0007). dbt-spark's macro of the same name writes the views' column comments;
    this version cuts each to 256 characters and quotes it for Spark, backslashes
    included. The full descriptions stay in dbt docs. Only dbt-spark calls this macro.
#}
{% macro get_column_comment_sql(column_name, column_dict) -%}
    {%- set column_comment_clause = '' -%}
    {%- if column_name in column_dict and column_dict[column_name]["description"] -%}
        {%- set description = column_dict[column_name]["description"] | trim -%}
        {%- if description | length > 256 -%}
            {%- set description = description[:253] ~ '...' -%}
        {%- endif -%}
        {%- set column_comment_clause = 'comment ' ~ cdp.spark__string_literal(description) -%}
    {%- endif -%}
    {{ adapter.quote(column_name) }} {{ column_comment_clause }}
{%- endmacro %}
