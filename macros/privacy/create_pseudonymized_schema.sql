{#
    on-run-end (after `dbt build` or `dbt run`): a copy of every mart in schema
    var('cdp_pseudonymized_schema') in which every column tagged `meta: {pii: true}` holds a
    salted hash instead of the value. Keys are not PII, so joins work as in `marts`; equal
    values hash equally, so a hashed email still joins to itself across marts. Columns not
    described in YAML are left out (fail safe). The salt comes from the environment
    variable CDP_PSEUDONYM_SALT; set your own in production. Tables, not views, so the salt
    is never stored in a view definition; a mart without PII columns becomes a view of its
    documented columns instead (no salt to hide, nothing to copy: events and transactions
    are the largest tables). A mart that gains or loses PII columns switches between table
    and view (the old object is dropped first). Returns the statements for the hook to run.
#}
{% macro create_pseudonymized_schema() -%}
    {%- if execute and flags.WHICH in ('build', 'run') -%}
        {%- set target_schema = var('cdp_pseudonymized_schema') -%}
        {%- set salt = env_var('CDP_PSEUDONYM_SALT', 'development-salt-set-CDP_PSEUDONYM_SALT')
            | replace("'", "''") -%}
        {%- set statements = ['create schema if not exists ' ~ target_schema] -%}
        {%- set existing = run_query(
            "select table_name, table_type from information_schema.tables "
            ~ "where table_schema = '" ~ target_schema ~ "'") -%}
        {%- set existing_types = {} -%}
        {%- for row in existing.rows -%}
            {%- do existing_types.update({row[0]: row[1]}) -%}
        {%- endfor -%}
        {#- run_query, not adapter.get_columns_in_relation: the latter opens a transaction
            that dbt rolls back after the hooks -#}
        {%- set mart_columns = run_query(
            "select table_name, column_name from information_schema.columns "
            ~ "where table_schema = 'marts' order by table_name, ordinal_position") -%}
        {%- for node in graph.nodes.values()
            if node.resource_type == 'model' and node.schema == 'marts' -%}
            {%- set relation = api.Relation.create(
                database=node.database, schema=node.schema, identifier=node.alias) -%}
            {%- set columns = mart_columns.rows | selectattr(0, 'equalto', node.alias)
                | map(attribute=1) | list -%}
            {%- if columns -%}
                {%- set selects = [] -%}
                {%- set hashed = [] -%}
                {%- for column_name in columns -%}
                    {%- set documented = node.columns.get(column_name) -%}
                    {%- if documented -%}
                        {%- set meta = documented.meta or documented.get('config', {}).get('meta', {}) -%}
                        {%- if meta.get('pii') -%}
                            {%- do hashed.append(column_name) -%}
                            {%- do selects.append(
                                dbt.hash(dbt.concat(["'" ~ salt ~ "'",
                                         dbt.safe_cast(adapter.quote(column_name), dbt.type_string())]))
                                ~ ' as ' ~ adapter.quote(column_name)) -%}
                        {%- else -%}
                            {%- do selects.append(adapter.quote(column_name)) -%}
                        {%- endif -%}
                    {%- endif -%}
                {%- endfor -%}
                {%- if selects -%}
                    {%- set kind = 'table' if hashed else 'view' -%}
                    {%- set existing_kind = {'BASE TABLE': 'table', 'VIEW': 'view'}.get(
                        existing_types.get(node.alias)) -%}
                    {%- if existing_kind and existing_kind != kind -%}
                        {%- do statements.append('drop ' ~ existing_kind ~ ' ' ~ target_schema
                            ~ '.' ~ adapter.quote(node.alias)) -%}
                    {%- endif -%}
                    {%- do statements.append(
                        'create or replace ' ~ kind ~ ' ' ~ target_schema ~ '.' ~ adapter.quote(node.alias)
                        ~ ' as select ' ~ selects | join(', ') ~ ' from ' ~ relation) -%}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}
        {{ statements | join(';\n') }}
    {%- else -%}
        select 1 as nothing_to_pseudonymize
    {%- endif -%}
{%- endmacro %}
