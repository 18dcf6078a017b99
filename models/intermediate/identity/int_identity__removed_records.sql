{#
    Records that left identity: tracking devices left without any event, because every
    event they had was re-delivered under another anonymous_id (a tracker replaying its
    visitors under corrected ids). Every other source keeps its records: staging replaces a
    record's row, it never drops it, and erasure keeps the record (int_privacy__erasure_scope).

    A full build never sees such a device, so this table is empty after one. An incremental
    build has already built the device's record, its identifiers, cluster and customer: the
    identity models delete the rows of the records listed here (their hooks) and redo the
    clusters and customers those records were part of. `removed_at` is the run that found
    the device empty.

    The candidates are the devices an event was moved away from
    (`previous_anonymous_id` of int_tracking_events__sessionized, kept until the event
    moves again), so a run reads a handful of devices, not every event. A listed device
    that has events again (one was re-delivered back) leaves the list (post-hook), and
    int_identity__source_records builds its record again from them.
#}
{{
    config(
        materialized='incremental',
        incremental_strategy=cdp.upsert_strategy(),
        unique_key='record_id',
        on_schema_change='fail',
        post_hook="{% if is_incremental() %}delete from {{ this }} where source_record_id in ("
            ~ "select anonymous_id from {{ ref('stg_tracking__events') }}"
            ~ " where anonymous_id in (select listed.source_record_id from {{ this }} as listed))"
            ~ "{% endif %}"
    )
}}
with moved_away as (
    select distinct previous_anonymous_id as anonymous_id
    from {{ ref('int_tracking_events__sessionized') }}
    where previous_anonymous_id is not null
),

devices_with_events as (
    select anonymous_id from {{ ref('stg_tracking__events') }}
    where anonymous_id in (select moved_away.anonymous_id from moved_away)
),

final as (
    select
        {{ cdp.record_id("'tracking_events'", 'anonymous_id') }} as record_id,
        'tracking_events' as source,
        anonymous_id as source_record_id,
        {{ cdp.run_started_at_timestamp() }} as removed_at
    from moved_away
    where anonymous_id not in (select devices_with_events.anonymous_id from devices_with_events)
    {%- if is_incremental() %}
        -- listed in an earlier run, and still without events
        and anonymous_id not in (select listed.source_record_id from {{ this }} as listed)
    {%- endif %}
)

select * from final
