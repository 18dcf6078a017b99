{#
    Data tests over the rows a run wrote (docs/decisions/0006-incremental-processing.md,
    "Fifteenth pass").

    dbt's own get_where_subquery, plus one placeholder: a test whose `where` says
    `__written_by_this_run__` reads, in a `dbt build` that ran the tested model
    incrementally, only the rows that run wrote: those whose run stamp (the column the
    model names in `meta: {written_at: <column>}`, set to the run's start on every row it
    writes) equals this run's start. Everywhere else (a full refresh, `dbt test`, a build
    that did not select the model, a table model, var('cdp_test_scope') = 'all') the
    placeholder is `1 = 1` and the test reads the whole table. So it is, too, when the
    test's latest result in audit.run_log is not a pass (or there is none): a test that
    found a bad row keeps reading every row, and keeps failing, until the row is fixed,
    although later runs no longer write it.

    Use it only where the rows a run wrote decide the test:
    - not_null, accepted_values: they look at one row at a time;
    - unique (or unique_combination) of a delete+insert model's own unique_key, or of
      columns the key is a function of: after the run the table is the old rows whose key
      the batch does not hold plus the batch, so if it was unique before, it holds a
      duplicate exactly when the batch does.
    Never for relationships or checks across tables: a merge can retire a customer that
    old rows still name.
    A scheduled `dbt test`, or `dbt build --vars '{cdp_test_scope: all}'`, checks every row.
#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if where and '__written_by_this_run__' in where -%}
        {%- set where = where | replace('__written_by_this_run__', cdp.written_by_this_run()) -%}
    {%- endif -%}
    {%- if where -%}
        {%- do return('(select * from ' ~ relation ~ ' where ' ~ where ~ ') dbt_subquery') -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}


{% macro written_by_this_run() -%}
    {%- set tested = graph.nodes.get(model.attached_node) if model.attached_node else none -%}
    {%- set stamp = ((tested.config.meta or {}).get('written_at') if tested else none) -%}
    {%- if not stamp -%}
        {%- do exceptions.raise_compiler_error(
            model.unique_id ~ ": `where: __written_by_this_run__` needs the tested model to name"
            ~ " its run stamp column in `meta: {written_at: <column>}`") -%}
    {%- endif -%}
    {%- if var('cdp_test_scope') not in ('written', 'all') -%}
        {%- do exceptions.raise_compiler_error(
            "var cdp_test_scope must be 'written' or 'all', not '" ~ var('cdp_test_scope') ~ "'") -%}
    {%- endif -%}
    {%- if execute and var('cdp_test_scope') == 'written' and flags.WHICH == 'build'
        and not flags.FULL_REFRESH and tested.config.materialized == 'incremental'
        and tested.unique_id in selected_resources
        and cdp.latest_test_status(model.unique_id) == 'pass' -%}
        {{- adapter.quote(stamp) }} = {{ cdp.run_started_at_timestamp() -}}
    {%- else -%}
        1 = 1
    {%- endif -%}
{%- endmacro %}


{#
    The status of a node's latest result in audit.run_log (cdp.log_run_results), or none.
    adapter.get_relation, not information_schema, asks whether the log exists: every
    adapter implements it.
#}
{% macro latest_test_status(node_id) -%}
    {%- set run_log = adapter.get_relation(database=target.database, schema='audit', identifier='run_log') -%}
    {%- if run_log is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set latest = run_query(
        "select status from " ~ run_log ~ " where node_id = '" ~ node_id ~ "'"
        ~ " order by logged_at desc limit 1").columns[0].values() -%}
    {{ return(latest[0] if latest else none) }}
{%- endmacro %}
