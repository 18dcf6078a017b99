{#
    on-run-start: refuse a selection that would leave incremental models wrong, before
    anything runs. Incremental models only redo what changed since their own last run, so
    two kinds of partial selection leave rows that no later run corrects, with every test
    passing (decision 0006, twentieth pass):

    - `--full-refresh` of an incremental model without the incremental models built from
      it (directly or through views, tables and snapshots): they keep every row computed
      from the old table, since a full refresh upstream lands nothing new. Full-refreshing
      int_identity__identifiers alone left 32 tables unlike a full refresh.
    - Any run of a model whose changes its descendants read by this run's start
      (`meta: {passes_changes_in_run: true}`: the identity models from the identifier
      assessment to int_records__attributed) without those descendants: the next run
      stamps with another start and never sees them. `dbt run -s +int_identity__record_clusters`
      after new data, then `dbt build`, left 33 tables unlike a full refresh.

    A descendant that does not exist yet does not count (its first run is a full build),
    nor, under `--full-refresh`, one configured `full_refresh=false` (the merge and split
    logs, which a full refresh never rebuilds).

    The var `cdp_allow_partial_selection: true` lets such a selection run: for a model whose
    change its descendants do not read (a new description, a column nothing downstream
    uses), or a scratch copy. Returns no SQL.
#}
{% macro refuse_partial_selection() -%}
    {%- if execute and not var('cdp_allow_partial_selection') -%}
        {%- set full_refresh = flags.FULL_REFRESH -%}
        {%- set children = {} -%}
        {%- for node in graph.nodes.values() if node.resource_type in ('model', 'snapshot') -%}
            {%- for parent in node.depends_on.nodes -%}
                {%- do children.setdefault(parent, []).append(node.unique_id) -%}
            {%- endfor -%}
        {%- endfor -%}

        {%- set reported = [] -%}
        {%- for unique_id in selected_resources if unique_id in graph.nodes -%}
            {%- set node = graph.nodes[unique_id] -%}
            {%- if cdp.is_incremental_model(node, full_refresh)
                  and (full_refresh or node.config.meta.get('passes_changes_in_run')) -%}
                {%- set walk = cdp.incremental_descendants_left_out(unique_id, children, full_refresh) -%}
                {%- if walk.left_out -%}
                    {%- do reported.append({'id': unique_id, 'name': node.name,
                                            'left_out': walk.left_out, 'seen': walk.seen}) -%}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}

        {#- a reported model downstream of another adds nothing: its left-out models are too -#}
        {%- set problems = [] -%}
        {%- set selectors = [] -%}
        {%- for item in reported -%}
            {%- set upstream = [] -%}
            {%- for other in reported if item.id in other.seen -%}
                {%- do upstream.append(other.name) -%}
            {%- endfor -%}
            {%- if not upstream -%}
                {%- do problems.append('  downstream of ' ~ item.name ~ ': ' ~ item.left_out | sort | join(', ')) -%}
                {%- do selectors.append(item.name ~ '+') -%}
            {%- endif -%}
        {%- endfor -%}

        {%- if problems -%}
            {{ exceptions.raise_compiler_error(
                (('--full-refresh would rebuild incremental models but leave the incremental '
                  ~ 'models built from them to run incrementally, keeping rows computed from '
                  ~ 'the old tables.') if full_refresh else
                 ('This selection runs models whose changes the incremental models downstream '
                  ~ 'read in the same run; left out, those would never see them.'))
                ~ ' Nothing was run. Left out:\n' ~ problems | join('\n')
                ~ '\nAdd them to the selection (' ~ selectors | join(' ')
                ~ ', as in `dbt build -s my_model+`), or, if they do not depend on what '
                ~ "changes, add `--vars '{cdp_allow_partial_selection: true}'`.") }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}


{#
    An incremental model that this run writes incrementally, or, under --full-refresh,
    rebuilds (not configured full_refresh=false).
#}
{% macro is_incremental_model(node, full_refresh) -%}
    {{- return(node is not none and node.resource_type == 'model'
               and node.config.materialized == 'incremental'
               and (not full_refresh or node.config.full_refresh is not false)) -}}
{%- endmacro %}


{#
    The walk downstream of `unique_id`: `left_out`, the names of the built incremental
    models there that are not selected; `seen`, the ids of every model and snapshot there.
#}
{% macro incremental_descendants_left_out(unique_id, children, full_refresh) -%}
    {%- set left_out = [] -%}
    {%- set seen = [] -%}
    {#- breadth-first: the loop also visits what is appended to `queue` while it runs -#}
    {%- set queue = children.get(unique_id, []) | list -%}
    {%- for child_id in queue if child_id not in seen -%}
        {%- do seen.append(child_id) -%}
        {%- do queue.extend(children.get(child_id, [])) -%}
        {%- set child = graph.nodes[child_id] -%}
        {%- if child_id not in selected_resources and cdp.is_incremental_model(child, full_refresh)
              and adapter.get_relation(database=child.database, schema=child.schema,
                                       identifier=child.alias) is not none -%}
            {%- do left_out.append(child.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return({'left_out': left_out, 'seen': seen}) -}}
{%- endmacro %}
