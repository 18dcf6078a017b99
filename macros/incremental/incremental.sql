{#
    Helpers for incremental models (docs/decisions/0006-incremental-processing.md).

    Rows are picked up by when they *landed* (`_loaded_at`), never by their business time,
    so a late event (old `occurred_at`, new `_loaded_at`) is processed like any other.
    var('cdp_incremental_lookback_hours') re-reads rows that landed slightly before the
    model's high-water mark: loaders that commit batches out of order (parallel loads, a
    retried file) can land rows with a `_loaded_at` older than rows already processed.
    Re-reading is harmless: every incremental model recomputes whole records and merges
    on its key.
#}

{#
    The earliest landing time this run reads: the model's high-water mark (max of `column`
    in {{ this }}, optionally over the rows matching `where`) minus the lookback.
#}
{% macro incremental_watermark(column='_loaded_at', where=none) -%}
    (
        select
            {{ dbt.dateadd(
                'hour',
                -1 * var('cdp_incremental_lookback_hours'),
                'coalesce(max(' ~ column ~ "), cast('1900-01-01' as " ~ dbt.type_timestamp() ~ '))'
            ) }}
        from {{ this }}
        {%- if where %}
        where {{ where }}
        {%- endif %}
    )
{%- endmacro %}


{#
    The same earliest landing time, read once when the model compiles and written into its
    SQL as a literal (`where` cannot refer to the outer query here). For a model whose
    pre-hook deletes rows of {{ this }}: the pre-hook runs after the model compiled, so its
    deletions cannot move the mark that the model's body reads.
#}
{% macro incremental_watermark_literal(column='_loaded_at', where=none) -%}
    {%- set high_water_mark = none -%}
    {%- if execute -%}
        {%- set high_water_mark = run_query(
            'select cast(max(' ~ column ~ ') as ' ~ dbt.type_string() ~ ') from ' ~ this
            ~ (' where ' ~ where if where else '')).columns[0].values()[0] -%}
    {%- endif -%}
    {{ dbt.dateadd(
        'hour',
        -1 * var('cdp_incremental_lookback_hours'),
        "cast('" ~ (high_water_mark or '1900-01-01') ~ "' as " ~ dbt.type_timestamp() ~ ')'
    ) }}
{%- endmacro %}


{#
    The rows of a staging relation that landed since this model's last run (every row in a
    full build), for the per-record identity models, whose rows are each a function of one
    staging row: the run rebuilds those records and replaces them by key. The high-water
    mark is taken per source (`source` column of this model): sources are loaded by
    different jobs whose landing clocks need not agree, so one source's latest load says
    nothing about another's. `watermark_column` is this model's own landing-time column.
#}
{% macro landed_since_last_run(relation, watermark_column, source) -%}
    select * from {{ relation }}
    {%- if is_incremental() %}
    where _loaded_at > {{ cdp.incremental_watermark(watermark_column, "source = '" ~ source ~ "'") }}
    {%- endif %}
{%- endmacro %}


{#
    The events of every device (anonymous_id) with an event that landed since this model's
    last run, or that such an event was re-delivered away from (every event in a full
    build): a device's identity record (source tracking_events) is a function of all its
    events. A device that an event left keeps its other events; one left without any
    keeps its old record (decision 0006, "Sixteenth pass"). The calling model declares
    `-- depends_on: int_tracking_events__sessionized` (read in incremental runs only, where
    dbt's parser cannot see the ref).
#}
{% macro events_of_devices_seen_since_last_run(watermark_column) -%}
    select * from {{ ref('stg_tracking__events') }}
    where anonymous_id is not null
    {%- if is_incremental() %}
        and anonymous_id in (
            select anonymous_id from {{ ref('stg_tracking__events') }}
            where _loaded_at > {{ cdp.incremental_watermark(watermark_column, "source = 'tracking_events'") }}
            union all
            -- devices that an event landed since then was re-delivered away from
            select moved_away.previous_anonymous_id
            from ({{ cdp.visitors_events_moved_away_from(
                cdp.incremental_watermark(watermark_column, "source = 'tracking_events'")) }}) as moved_away
        )
    {%- endif %}
{%- endmacro %}


{#
    The incremental path of a staging model: the winning delivery of every record that
    received a delivery since the last run, chosen exactly as the full build chooses it
    (valid deliveries first, then the latest load), by ranking the new deliveries against
    the record's current winner held in {{ this }}. The previous winner is the best of all
    older deliveries, so the best of (previous winner + new deliveries) is the best of all.
    `_first_loaded_at` is kept as the earliest load of a valid delivery (the base model
    defines it so: older defective deliveries are not re-read).

    Only new deliveries that win are returned. A record whose stored winner still wins
    (its new deliveries are defective, or older by business update) is left out, so its
    stored row stays as it is: the stored winner competes with its key, landing time,
    business update, content fingerprint and first load only, and the model never re-reads
    the payload columns it stored (or left out, like the tracking JSON it extracted). The
    stored winner's own delivery, re-read inside the lookback, ties with it on everything:
    the stored row wins, so the record is not written again.

    deliveries: relation of every raw delivery with `_invalid_reason` (a base model)
    key:        the record key
    columns:    the delivery columns the staging model reads (besides _loaded_at)
    updated_at: the business update column deliveries compete on, if any (delivery_order)
#}
{% macro latest_valid_deliveries_since_last_run(deliveries, key, columns, updated_at=none) -%}
    select
        {{ columns | join(', ') }},
        _loaded_at,
        _delivery_fingerprint,
        _first_loaded_at
    from (
        select
            *,
            {{ cdp.dedupe_rank(key, cdp.delivery_order(updated_at) ~ ', _is_stored_winner desc') }}
                as _delivery_rank,
            min(_earliest_loaded_at) over (partition by {{ key }}) as _first_loaded_at
        from (
            select
                {{ columns | join(', ') }},
                -- a delivery without its key is never staged. Not a `where` condition: DuckDB
                -- would test every raw row's cleaned key before the landing time (2 s at 1M)
                coalesce(_invalid_reason, case when {{ key }} is null then 'null_key' end)
                    as _invalid_reason,
                _loaded_at,
                _delivery_fingerprint,
                case when _invalid_reason is null then _loaded_at end as _earliest_loaded_at,
                false as _is_stored_winner
            from {{ deliveries }}
            where _loaded_at > {{ cdp.incremental_watermark() }}

            union all

            select
                {%- for column in columns %}
                {{ column if column in (key, updated_at) else 'null' }} as {{ column }},
                {%- endfor %}
                cast(null as {{ dbt.type_string() }}) as _invalid_reason,
                _loaded_at,
                _delivery_fingerprint,
                _first_loaded_at as _earliest_loaded_at,
                true as _is_stored_winner
            from {{ this }}
            where {{ key }} in (
                select {{ key }} from {{ deliveries }}
                where _loaded_at > {{ cdp.incremental_watermark() }}
            )
        ) as candidates
    ) as ranked
    where _delivery_rank = 1 and _invalid_reason is null and not _is_stored_winner
{%- endmacro %}


{#
    Records whose attribution (customer_id, erasure, stitched id) changed in this run of
    int_records__attributed, for the marts that carry customer_id: they re-emit the rows
    of these records, so a merge or an erasure reaches rows that landed long ago.
    Attribution and the marts run in the same invocation (`dbt build`, or a selection that
    includes `+int_records__attributed+`; cdp.refuse_partial_selection refuses others);
    tests/marts/assert_marts_follow_current_attribution.sql fails if they drift apart.
#}
{% macro records_with_changed_attribution(source_name) -%}
    select source_record_id from {{ ref('int_records__attributed') }}
    where source = '{{ source_name }}'
        and attribution_changed_at = {{ cdp.run_started_at_timestamp() }}
{%- endmacro %}


{#
    Records (record_id) carrying an identifier value whose `stamp_column` in
    int_identity__identifier_assessment is this run: `assessed_at` (the value's carriers
    changed: a new or re-delivered record carries it, or a re-delivered record dropped it;
    the incremental graph recomputes the components around these records) or
    `usability_changed_at` (the value became usable or unusable).
#}
{% macro identity_records_carrying_values_changed_in_this_run(stamp_column) -%}
    select distinct identifiers.record_id
    from {{ ref('int_identity__identifiers') }} as identifiers
    inner join {{ ref('int_identity__identifier_assessment') }} as assessment
        on identifiers.value_id = assessment.value_id
    where assessment.{{ stamp_column }} = {{ cdp.run_started_at_timestamp() }}
{%- endmacro %}


{#
    Deterministic clusters that changed in this run: the clusters that the records
    int_identity__record_clusters wrote in this run now belong to, and the clusters they
    left. A cluster's profile and its customer's anchor depend only on its records, so the
    per-cluster models (cluster profiles, record_customers) redo these clusters and keep
    every other one. A cluster that lost all its records is among them (and is deleted).
    So are the clusters of records that left identity alone, each named by its record's
    record_id (int_identity__removed_records: the list is short, and once a cluster is
    gone, naming it again changes nothing).
#}
{% macro identity_clusters_changed_in_this_run() -%}
    select cluster_id from {{ ref('int_identity__record_clusters') }}
    where clustered_at = {{ cdp.run_started_at_timestamp() }}
    union
    select previous_cluster_id from {{ ref('int_identity__record_clusters') }}
    where clustered_at = {{ cdp.run_started_at_timestamp() }}
        and previous_cluster_id is not null
    union
    {{ cdp.identity_removed_records() }}
{%- endmacro %}


{#
    Customer clusters int_identity__record_customers redoes in this run: those that hold,
    or held before this run, a deterministic cluster that changed in this run or whose
    probabilistic merge changed (its customer cluster now differs from the one stored in
    {{ this }}). A cluster no match joins is its own customer cluster, so only the merged
    clusters are compared: those in int_identity__customer_clusters now and those stored
    under another cluster's key. Read by that model's body before its rows are replaced:
    once rows are deleted, the stored side no longer shows the merges they held.
#}
{% macro identity_customer_clusters_changed_in_this_run() -%}
    select customer_cluster_id from (
        with changed_clusters as (
            {{ cdp.identity_clusters_changed_in_this_run() }}
        ),

        -- each merged cluster's customer cluster now beside the stored one; {{ this }} is
        -- read once. A side without the cluster keeps it as its own customer cluster.
        compared as (
            select
                coalesce(current_clusters.cluster_id, stored.cluster_id) as cluster_id,
                coalesce(current_clusters.customer_cluster_id, stored.cluster_id) as current_key,
                coalesce(stored.customer_cluster_id, current_clusters.cluster_id) as stored_key
            from {{ ref('int_identity__customer_clusters') }} as current_clusters
            full outer join (
                select distinct cluster_id, customer_cluster_id from {{ this }}
                where customer_cluster_id <> cluster_id
            ) as stored
                on current_clusters.cluster_id = stored.cluster_id
        ),

        changed_merges as (
            select current_key, stored_key from compared
            where cluster_id in (select changed_clusters.cluster_id from changed_clusters)
                or current_key <> stored_key
        )

        select current_key as customer_cluster_id from changed_merges
        union
        select stored_key from changed_merges
        union
        -- a changed cluster that no match joins, now or before, is its own customer cluster
        select cluster_id from changed_clusters
    ) as changed_customer_clusters
{%- endmacro %}


{#
    The per-customer identity outputs (golden records, customer_identities) are rebuilt for
    what changed in this run only. A record's row there depends on the record itself, its
    customer and the usability of its identifier values, so the records to recompute are:
    those int_records__attributed wrote in this run (new, re-delivered, or attributed to
    another customer, matched differently, erased) and those carrying an identifier value
    whose usability changed in this run (int_identity__identifier_assessment).
    Like the marts, these models run in the same invocation as attribution.
#}
{% macro identity_records_changed_in_this_run() -%}
    select record_id from {{ ref('int_records__attributed') }}
    where record_changed_at = {{ cdp.run_started_at_timestamp() }}
    union
    {{ cdp.identity_records_carrying_values_changed_in_this_run('usability_changed_at') }}
{%- endmacro %}


{#
    Customers whose golden record must be recomputed in this run: the current customers of
    the records above, and the customers those records left (merged away or split). Also
    the customers that records which left identity made alone (named after them as their
    anchor; a customer they shared has its other records among the records above).
#}
{% macro identity_customers_changed_in_this_run() -%}
    select record_customers.customer_id
    from {{ ref('int_identity__record_customers') }} as record_customers
    inner join ({{ cdp.identity_records_changed_in_this_run() }}) as changed_records
        on record_customers.record_id = changed_records.record_id
    union
    select previous_identity_customer_id from {{ ref('int_records__attributed') }}
    where attribution_changed_at = {{ cdp.run_started_at_timestamp() }}
        and previous_identity_customer_id is not null
    union
    select {{ cdp.anchor_customer_id('source', 'source_record_id') }}
    from {{ ref('int_identity__removed_records') }}
{%- endmacro %}


{#
    Records that left identity (int_identity__removed_records: devices left without events).
    The identity models that hold a row per record delete these records' rows in a hook.
#}
{% macro identity_removed_records() -%}
    select record_id from {{ ref('int_identity__removed_records') }}
{%- endmacro %}


{# The hook of those models: delete the rows of records that left identity (incremental runs). #}
{% macro delete_records_that_left_identity() -%}
    {%- if is_incremental() -%}
        delete from {{ this }} where record_id in ({{ cdp.identity_removed_records() }})
    {%- endif -%}
{%- endmacro %}


{# This invocation's start as a timestamp literal (UTC). #}
{% macro run_started_at_timestamp() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}


{# A web or app visitor: anonymous_id and platform, the unit sessions are computed for. #}
{% macro visitor_key() -%}
    {{ dbt.concat(["coalesce(anonymous_id, '')", "'|'", "coalesce(platform, '')"]) }}
{%- endmacro %}


{#
    (anonymous_id, platform) of the visitors an event that landed after `watermark` was
    taken from: re-delivered under another anonymous_id or platform
    (int_tracking_events__sessionized remembers the visitor it gave the event before).
#}
{% macro visitors_events_moved_away_from(watermark) -%}
    select previous_anonymous_id, previous_platform
    from {{ ref('int_tracking_events__sessionized') }}
    where _loaded_at > {{ watermark }}
        and previous_anonymous_id is not null
{%- endmacro %}


{#
    Web and app visitors (anonymous_id|platform, see int_tracking_events__sessionized)
    whose events must be reprocessed: an event of theirs landed after `watermark`, an event
    that landed since was theirs before (re-delivered under another visitor), or the
    attribution of their anonymous_id or of a shop account they logged in with changed.
    `columns`: what names a visitor for the caller (`visitor_key`, or `anonymous_id, platform`
    for a two-column `in`). Four selects in a `union`, not one with `or`: DuckDB then reads
    the small sets first and joins them to the events, instead of testing every event of
    the table against each condition (sessions at 1M: 8 s -> 3 s, same rows).
#}
{% macro tracking_visitors_to_reprocess(watermark, columns='visitor_key') -%}
    {%- set sessionized = ref('int_tracking_events__sessionized') -%}
    select {{ columns }} from {{ sessionized }}
    where _loaded_at > {{ watermark }}
    union
    -- visitors an event landed since then was taken from (re-delivered under another
    -- anonymous_id or platform), if they have events left
    select {{ columns }} from {{ sessionized }}
    where (anonymous_id, platform) in ({{ cdp.visitors_events_moved_away_from(watermark) }})
    union
    select {{ columns }} from {{ sessionized }}
    where anonymous_id in ({{ cdp.records_with_changed_attribution('tracking_events') }})
    union
    select {{ columns }} from {{ sessionized }}
    where message_id in (
        select message_id from {{ ref('stg_tracking__events') }}
        where user_id in ({{ cdp.records_with_changed_attribution('shop_customers') }})
    )
{%- endmacro %}


{#
    stg_quality__rejected_rows: the records of a source (`staged`, an entry of
    cdp.staged_sources with `deliveries`) that received a delivery since the table's latest
    row of that source. The mark is read when the model compiles, so the pre-hook and the
    body see the same one. Rows without a key rank among themselves as one record, keyed
    '' here (a cleaned key is never empty).
#}
{% macro rejected_rows_records_to_redo(staged) -%}
    select coalesce({{ staged.key }}, '') from {{ ref(staged.deliveries) }}
    where _loaded_at > {{ cdp.incremental_watermark_literal(
        '_loaded_at', "source_table = '" ~ staged.table ~ "'") }}
{%- endmacro %}


{#
    stg_quality__rejected_rows: every delivery of the records to redo, as a relation for
    cdp.ranked_deliveries. Where the deliveries model carries the key as it landed
    (`key_as_delivered`), the records are found through that raw column: DuckDB then filters
    the raw scan before it cleans and checks each row (at 1M people, tracking's JSON checks
    of 8M rows cost 7 s of thread time). A semi join (`in`), not a correlated `exists`:
    DuckDB pushes only the former into the scan. Same rows as filtering on the cleaned key.
    The pushed filter is a min/max range of the keys: it pays where keys grow with time
    (tracking message ids), not where they are random (email activity ids: not marked).
#}
{% macro rejected_rows_deliveries_to_redo(staged) -%}
    {%- if staged.get('key_as_delivered') -%}
    (
        select * from {{ ref(staged.deliveries) }}
        where _key_as_delivered in (
            select _key_as_delivered from {{ ref(staged.deliveries) }}
            where coalesce({{ staged.key }}, '') in ({{ cdp.rejected_rows_records_to_redo(staged) }})
        )
        union all
        -- `in` never matches a null key: those rows belong to the record '' (cleaned null)
        select * from {{ ref(staged.deliveries) }}
        where _key_as_delivered is null
            and '' in ({{ cdp.rejected_rows_records_to_redo(staged) }})
    ) as deliveries_to_redo
    {%- else -%}
    (
        select * from {{ ref(staged.deliveries) }}
        where coalesce({{ staged.key }}, '') in ({{ cdp.rejected_rows_records_to_redo(staged) }})
    ) as deliveries_to_redo
    {%- endif -%}
{%- endmacro %}


{#
    The rows of stg_quality__rejected_rows an incremental run redoes (its pre-hook deletes
    them): every row of a source staged whole (no `deliveries` in cdp.staged_sources); for
    the others, the rows of the records that received a delivery, since a new delivery
    changes the rank of all of them.
#}
{% macro rejected_rows_redone_in_this_run() -%}
    {%- for staged in cdp.staged_sources() %}
    {{ 'or ' if not loop.first }}(
        source_table = '{{ staged.table }}'
        {%- if staged.deliveries %}
        and coalesce(source_record_id, '') in ({{ cdp.rejected_rows_records_to_redo(staged) }})
        {%- endif %}
    )
    {%- endfor %}
{%- endmacro %}
