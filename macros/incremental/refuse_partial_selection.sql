{#
    on-run-start: refuse a selection that would leave incremental models wrong, before
    anything runs. Incremental models only redo what changed since their own last run, so
    these runs leave rows that no later run corrects, with every test passing (decision
    0006, twentieth pass):

    - `--full-refresh` of an incremental model without the incremental models built from
      it (directly or through views, tables and snapshots): they keep every row computed
      from the old table, since a full refresh upstream lands nothing new. Full-refreshing
      int_identity__identifiers alone left 32 tables unlike a full refresh.
    - Any run of a model whose changes its descendants read by this run's start
      (`meta: {passes_changes_in_run: true}`: the identity models from the identifier
      assessment to int_records__attributed) without those descendants: the next run
      stamps with another start and never sees them. `dbt run -s +int_identity__record_clusters`
      after new data, then `dbt build`, left 33 tables unlike a full refresh.
    - Any run or build after one that stopped inside that hand-over (a model that failed, a
      failing test that skipped what follows, a killed process, a partial run let through
      by the var below), if it would build past the stop: the changes of the stopped run
      are never read. Found by comparing the marked model's latest stamp with the nodes
      audit.run_log records as successful in that run; refused until
      `dbt build --full-refresh -s <model>+` rebuilds from there.

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
                {%- set walk = cdp.built_incremental_descendants(unique_id, children, full_refresh) -%}
                {%- set left_out = [] -%}
                {%- for child_id in walk.ids if child_id not in selected_resources -%}
                    {%- do left_out.append(graph.nodes[child_id].name) -%}
                {%- endfor -%}
                {%- if left_out -%}
                    {%- do reported.append({'id': unique_id, 'name': node.name,
                                            'left_out': left_out, 'seen': walk.seen}) -%}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}

        {#- a reported model downstream of another adds nothing: its left-out models are too -#}
        {%- set problems = [] -%}
        {%- set selectors = [] -%}
        {%- for item in cdp.most_upstream(reported) -%}
            {%- do problems.append('  downstream of ' ~ item.name ~ ': ' ~ item.left_out | sort | join(', ')) -%}
            {%- do selectors.append(item.name ~ '+') -%}
        {%- endfor -%}

        {%- if not problems and flags.WHICH in ('run', 'build') -%}
            {{- cdp.refuse_runs_after_a_stopped_hand_over(children, full_refresh) -}}
        {%- endif -%}

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
    The walk downstream of `unique_id`: `ids`, the incremental models there that exist in
    the warehouse (cdp.is_incremental_model); `seen`, every model and snapshot there.
#}
{% macro built_incremental_descendants(unique_id, children, full_refresh) -%}
    {%- set ids = [] -%}
    {%- set seen = [] -%}
    {#- breadth-first: the loop also visits what is appended to `queue` while it runs -#}
    {%- set queue = children.get(unique_id, []) | list -%}
    {%- for child_id in queue if child_id not in seen -%}
        {%- do seen.append(child_id) -%}
        {%- do queue.extend(children.get(child_id, [])) -%}
        {%- set child = graph.nodes[child_id] -%}
        {%- if cdp.is_incremental_model(child, full_refresh)
              and adapter.get_relation(database=child.database, schema=child.schema,
                                       identifier=child.alias) is not none -%}
            {%- do ids.append(child_id) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return({'ids': ids, 'seen': seen}) -}}
{%- endmacro %}


{#
    The third refusal above: a model marked passes_changes_in_run whose latest stamp is of
    a run in which an incremental model downstream did not succeed, when this run selects
    one of those models (not under a --full-refresh that selects the marked model itself).
#}
{% macro refuse_runs_after_a_stopped_hand_over(children, full_refresh) -%}
    {%- set run_log = adapter.get_relation(database=target.database, schema='audit',
                                           identifier='run_log') -%}
    {%- if run_log is not none -%}
        {%- set stopped = [] -%}
        {%- for node in graph.nodes.values() if node.resource_type == 'model'
                and node.config.meta.get('passes_changes_in_run') -%}
            {%- set relation = adapter.get_relation(database=node.database, schema=node.schema,
                                                    identifier=node.alias) -%}
            {%- set refreshed = full_refresh and node.unique_id in selected_resources -%}
            {%- if relation is not none and not refreshed -%}
                {%- set walk = cdp.built_incremental_descendants(node.unique_id, children, false) -%}
                {%- set downstream = walk.ids -%}
                {%- set selected_downstream = downstream | select('in', selected_resources) | list -%}
                {%- if selected_downstream or node.unique_id in selected_resources -%}
                    {%- set last_written = run_query(
                        'select cast(' ~ dbt.date_trunc('second', 'max(' ~ node.config.meta.written_at ~ ')')
                        ~ ' as ' ~ dbt.type_string() ~ ') from ' ~ relation).columns[0].values()[0] -%}
                    {%- if last_written and downstream -%}
                        {%- set succeeded = run_query(
                            'select distinct node_id from ' ~ run_log
                            ~ " where status = 'success' and run_started_at = cast('"
                            ~ last_written ~ "' as " ~ dbt.type_timestamp() ~ ')').columns[0].values() -%}
                        {%- set missed = [] -%}
                        {%- for unique_id in downstream if unique_id not in succeeded -%}
                            {%- do missed.append(graph.nodes[unique_id].name) -%}
                        {%- endfor -%}
                        {%- if missed -%}
                            {%- do stopped.append({'id': node.unique_id, 'name': node.name,
                                                   'at': last_written, 'missed': missed,
                                                   'seen': walk.seen}) -%}
                        {%- endif -%}
                    {%- endif -%}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}

        {%- set first = cdp.most_upstream(stopped) -%}
        {%- if first -%}
            {{ exceptions.raise_compiler_error(
                'The run of ' ~ first[0].at ~ ' UTC stopped inside identity: '
                ~ first[0].name ~ ' wrote changes, and these incremental models after it, '
                ~ 'which pass them on or read them, did not succeed in that run (failed, '
                ~ 'skipped, not selected, or the run was killed before it was logged): '
                ~ first[0].missed | sort | join(', ')
                ~ '. No incremental run can pick them up now. Nothing was run. Rebuild from '
                ~ 'there: `dbt build --full-refresh -s ' ~ (first | map(attribute='name') | join('+ ')) ~ '+`.') }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}


{# The items (dicts with `id` and `seen`) that are not downstream of another item. #}
{% macro most_upstream(items) -%}
    {%- set first = [] -%}
    {%- for item in items -%}
        {%- set upstream = [] -%}
        {%- for other in items if item.id in other.seen -%}
            {%- do upstream.append(other.id) -%}
        {%- endfor -%}
        {%- if not upstream -%}
            {%- do first.append(item) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(first) -}}
{%- endmacro %}
