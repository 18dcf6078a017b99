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

    The salt never appears in the SQL: dbt keeps that SQL in its logs and artifacts. The
    statements read it through cdp.pseudonym_salt() (on DuckDB a session variable that the
    profile's plugin sets, on Spark a reference to the driver's environment variable), and
    the hook stops if the engine read no usable salt (cdp.pseudonym_salt_digest).

    Large incremental marts are not copied whole on every run. A mart whose config says
    `meta: {written_at: <column>, pseudonymize_incrementally: {unique_key: [...]}}` (written_at:
    a column stamped with the start of the run that wrote the row, like customer_identities'
    stitched_at; optionally `removed_with: [<model>, ...]`) has its copy brought up to date
    instead (cdp.update_pseudonymized_copy).
    The copy is written whole on --full-refresh, when its columns differ from the mart's
    (or the mart has no stamp column yet), or when the salt or the set of hashed columns
    changed: a fingerprint of both is kept as the copy's table comment, so rows hashed with
    two salts never mix in one table.
#}
{% macro create_pseudonymized_schema() -%}
    {%- if execute and flags.WHICH in ('build', 'run') -%}
        {%- set target_schema = var('cdp_pseudonymized_schema') -%}
        {%- set salt = cdp.pseudonym_salt() -%}
        {#- stops the run if there is no usable salt -#}
        {%- set salt_digest = cdp.pseudonym_salt_digest() -%}
        {%- set statements = ['create schema if not exists ' ~ target_schema] -%}
        {#- the marts and their copies as they are now: one catalog read -#}
        {%- set catalog = cdp.catalog(['marts', target_schema]) -%}
        {%- for node in graph.nodes.values()
            if node.resource_type == 'model' and node.schema == 'marts' -%}
            {%- set relation = api.Relation.create(
                database=node.database, schema=node.schema, identifier=node.alias) -%}
            {%- set columns = catalog.get('marts.' ~ node.alias, {}).get('columns', []) -%}
            {%- set existing = catalog.get(target_schema ~ '.' ~ node.alias, {}) -%}
            {%- set kept = [] -%}
            {%- set selects = [] -%}
            {%- set hashed = [] -%}
            {%- for column_name in columns -%}
                {%- set documented = node.columns.get(column_name) -%}
                {%- if documented -%}
                    {%- do kept.append(column_name) -%}
                    {%- set meta = documented.meta or documented.get('config', {}).get('meta', {}) -%}
                    {%- if meta.get('pii') -%}
                        {%- do hashed.append(column_name) -%}
                        {%- do selects.append(
                            dbt.hash(dbt.concat([salt,
                                     dbt.safe_cast(adapter.quote(column_name), dbt.type_string())]))
                            ~ ' as ' ~ adapter.quote(column_name)) -%}
                    {%- else -%}
                        {%- do selects.append(adapter.quote(column_name)) -%}
                    {%- endif -%}
                {%- endif -%}
            {%- endfor -%}
            {%- if selects -%}
                {%- set copy = target_schema ~ '.' ~ adapter.quote(node.alias) -%}
                {%- set kind = 'table' if hashed else 'view' -%}
                {%- set existing_kind = existing.get('kind') -%}
                {%- set fingerprint = 'pseudonymized; salt and hashed columns '
                    ~ local_md5(salt_digest ~ '|' ~ hashed | join(',')) -%}
                {%- set copied_columns = existing.get('columns', []) -%}
                {%- set incremental = (node.config.get('meta') or {}).get('pseudonymize_incrementally') -%}
                {%- set written_at = (node.config.get('meta') or {}).get('written_at') -%}
                {%- if existing_kind and existing_kind != kind -%}
                    {%- do statements.append('drop ' ~ existing_kind ~ ' ' ~ copy) -%}
                {%- endif -%}
                {%- if incremental and written_at in kept and kind == 'table'
                    and existing_kind == 'table' and not flags.FULL_REFRESH
                    and copied_columns == kept and existing.get('comment') == fingerprint -%}
                    {%- set removed_with = [] -%}
                    {%- set removed_names = incremental.removed_with or [] -%}
                    {%- for removed_name in ([removed_names] if removed_names is string else removed_names) -%}
                        {%- set removed_node = graph.nodes.values() | selectattr('resource_type', 'equalto', 'model')
                            | selectattr('name', 'equalto', removed_name) | first -%}
                        {%- if not removed_node -%}
                            {%- do exceptions.raise_compiler_error(node.name ~ ': meta.pseudonymize_incrementally.'
                                ~ 'removed_with names no model: ' ~ removed_name) -%}
                        {%- endif -%}
                        {%- do removed_with.append(api.Relation.create(database=removed_node.database,
                            schema=removed_node.schema, identifier=removed_node.alias)) -%}
                    {%- endfor -%}
                    {%- do statements.extend(cdp.update_pseudonymized_copy(
                        copy, relation, kept, selects, incremental.unique_key, written_at,
                        removed_with)) -%}
                {%- else -%}
                    {%- set copy_sql = 'select ' ~ selects | join(', ') ~ ' from ' ~ relation -%}
                    {%- if kind == 'table' -%}
                        {%- do statements.extend(cdp.replace_table_as(copy, copy_sql)) -%}
                        {%- do statements.append(
                            'comment on table ' ~ copy ~ " is '" ~ fingerprint ~ "'") -%}
                    {%- else -%}
                        {%- do statements.append('create or replace view ' ~ copy ~ ' as ' ~ copy_sql) -%}
                    {%- endif -%}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}
        {{ cdp.hook_statements(statements) }}
    {%- else -%}
        select 1 as nothing_to_pseudonymize
    {%- endif -%}
{%- endmacro %}


{#
    The statements that bring the pseudonymized copy of an incremental mart up to date,
    given that the mart stamps every row it writes with the run's start (`written_at`) and
    that a run rewrites every row of each key it touches:
    - the copy's latest stamp is the last run it has seen (read now, before any delete);
    - the copy's rows of every key the mart wrote since then are deleted;
    - the copy's rows of keys no longer in the mart (erased records) are deleted;
    - the mart's rows written since then are hashed and inserted.
    Finding the keys no longer in the mart means comparing every key of both (7 s for the
    18M rows of customer_identities at 1M people). A mart that drops a key only when the key
    is listed in other models, and never holds a listed key, names those models in
    `meta.pseudonymize_incrementally.removed_with` (customer_identities: the erasure scope
    and the records that left identity): the copy then drops the listed keys instead.
#}
{% macro update_pseudonymized_copy(copy, mart, columns, selects, unique_key, written_at,
                                   removed_with=[]) -%}
    {%- set copied_through = run_query(
        'select cast(max(' ~ adapter.quote(written_at) ~ ') as ' ~ dbt.type_string() ~ ') from ' ~ copy
    ).columns[0].values()[0] -%}
    {%- set since = dbt.safe_cast("'" ~ (copied_through or '1900-01-01') ~ "'", dbt.type_timestamp()) -%}
    {%- set key = unique_key | join(', ') -%}
    {%- set same_key = [] -%}
    {%- for column_name in unique_key -%}
        {%- do same_key.append('mart.' ~ column_name ~ ' = pseudonymized.' ~ column_name) -%}
    {%- endfor -%}
    {%- set quoted_columns = [] -%}
    {%- for column_name in columns -%}
        {%- do quoted_columns.append(adapter.quote(column_name)) -%}
    {%- endfor -%}
    {%- set removed = [] -%}
    {%- for listed in removed_with -%}
        {%- do removed.append('select ' ~ key ~ ' from ' ~ listed) -%}
    {%- endfor -%}
    {{ return([
        'delete from ' ~ copy ~ ' where (' ~ key ~ ') in (select ' ~ key ~ ' from ' ~ mart
            ~ ' where ' ~ written_at ~ ' > ' ~ since ~ ')',
        ('delete from ' ~ copy ~ ' where (' ~ key ~ ') in (' ~ removed | join(' union all ') ~ ')'
            if removed else
        'delete from ' ~ copy ~ ' as pseudonymized where not exists (select 1 from ' ~ mart
            ~ ' as mart where ' ~ same_key | join(' and ') ~ ')'),
        'insert into ' ~ copy ~ ' (' ~ quoted_columns | join(', ') ~ ') select ' ~ selects | join(', ')
            ~ ' from ' ~ mart ~ ' where ' ~ written_at ~ ' > ' ~ since,
    ]) }}
{%- endmacro %}
