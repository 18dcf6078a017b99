{#
    on-run-start: refuse a `--full-refresh` that rebuilds an incremental model but leaves
    incremental models built from it (directly or through views, tables and snapshots) to
    run incrementally. Those models only redo the records that landed since their own last
    run, so they would keep every row they computed from the old table: after
    `dbt build --full-refresh -s int_identity__identifiers`, 32 tables differed from a full
    refresh, with every test passing (decision 0006). A descendant that does not exist yet
    is no reason to refuse (its first run is a full build), nor is one configured
    `full_refresh=false` (the merge and split logs, which a full refresh never rebuilds).

    Set the var `cdp_allow_partial_full_refresh: true` to run such a selection anyway, for
    a model whose rows you know its descendants do not depend on (a changed description,
    a column nothing downstream reads). Returns no SQL.
#}
{% macro refuse_partial_full_refresh() -%}
    {%- if execute and flags.FULL_REFRESH and not var('cdp_allow_partial_full_refresh') -%}
        {%- set refreshed = [] -%}
        {%- for unique_id in selected_resources -%}
            {%- if cdp.is_refreshable_incremental(graph.nodes.get(unique_id)) -%}
                {%- do refreshed.append(unique_id) -%}
            {%- endif -%}
        {%- endfor -%}

        {%- set children = {} -%}
        {%- for node in graph.nodes.values() if node.resource_type in ('model', 'snapshot') -%}
            {%- for parent in node.depends_on.nodes -%}
                {%- do children.setdefault(parent, []).append(node.unique_id) -%}
            {%- endfor -%}
        {%- endfor -%}

        {%- set problems = [] -%}
        {%- set selectors = [] -%}
        {%- for unique_id in refreshed -%}
            {#- breadth-first: the loop also visits what is appended to `queue` while it runs -#}
            {%- set queue = children.get(unique_id, []) | list -%}
            {%- set seen = [] -%}
            {%- set left_out = [] -%}
            {%- for child_id in queue if child_id not in seen -%}
                {%- do seen.append(child_id) -%}
                {%- do queue.extend(children.get(child_id, [])) -%}
                {%- set child = graph.nodes[child_id] -%}
                {%- if child_id not in selected_resources and cdp.is_refreshable_incremental(child)
                      and adapter.get_relation(database=child.database, schema=child.schema,
                                               identifier=child.alias) is not none -%}
                    {%- do left_out.append(child.name) -%}
                {%- endif -%}
            {%- endfor -%}
            {%- if left_out -%}
                {%- set name = graph.nodes[unique_id].name -%}
                {%- do problems.append('  downstream of ' ~ name ~ ': ' ~ left_out | sort | join(', ')) -%}
                {%- do selectors.append(name ~ '+') -%}
            {%- endif -%}
        {%- endfor -%}

        {%- if problems -%}
            {{ exceptions.raise_compiler_error(
                '--full-refresh would rebuild incremental models but leave the incremental '
                ~ 'models built from them to run incrementally, keeping rows computed from the '
                ~ 'old tables. Nothing was run. Left out:\n' ~ problems | join('\n')
                ~ '\nSelect them too, e.g. `dbt build --full-refresh -s ' ~ selectors | join(' ')
                ~ '`, or, if they do not depend on what changed, add '
                ~ "`--vars '{cdp_allow_partial_full_refresh: true}'`.") }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}


{# An incremental model that `--full-refresh` rebuilds (not configured full_refresh=false). #}
{% macro is_refreshable_incremental(node) -%}
    {{- return(node is not none and node.resource_type == 'model'
               and node.config.materialized == 'incremental'
               and node.config.full_refresh is not false) -}}
{%- endmacro %}
