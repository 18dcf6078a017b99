{#
    Assigns every tracking event to a session: a visitor's (anonymous_id's) events on one
    platform, split where more than var('cdp_session_timeout_minutes') pass without an event.

    Incremental (delete+insert on message_id): a visitor with an event that landed since
    the last run has all of their events re-sessionized (a late event can join or split
    sessions). So has the visitor the table gave such an event before: a re-delivery can
    name another anonymous_id or platform, and the visitor it left keeps only their other
    events. `previous_anonymous_id` and `previous_platform` name that visitor on the moved
    event's row (null otherwise, and in a full build), so that `events`, `sessions` and the
    device records of identity redo them too (cdp.tracking_visitors_to_reprocess,
    cdp.events_of_devices_seen_since_last_run). A later run that rewrites the row without
    moving it keeps them: those models may not have run since (a build that selected this
    model without them). Only the latest move is kept: an event moved twice before they
    ran again leaves its first visitor to a full refresh.
#}
{{
    config(
        materialized='incremental',
        incremental_strategy=cdp.upsert_strategy(),
        unique_key='message_id',
        on_schema_change='fail'
    )
}}
{%- set visitor_key = cdp.visitor_key() %}
with
{%- if is_incremental() %}
    landed as (
        select
            message_id,
            {{ visitor_key }} as visitor_key
        from {{ ref('stg_tracking__events') }}
        where _loaded_at > {{ cdp.incremental_watermark() }}  -- noqa: RF02
    ),

    -- the visitors the table gave the landed events so far: the same, unless re-delivered
    -- under another anonymous_id or platform
    previous_visitors {{ cdp.materialized_cte() }} (
        select
            message_id,
            anonymous_id,
            platform,
            visitor_key
        from {{ this }}
        where message_id in (select landed.message_id from landed)
    ),

    visitors_to_redo as (
        select visitor_key from landed
        union
        select visitor_key from previous_visitors
    ),
{%- endif %}

events as (
    select
        message_id,
        anonymous_id,
        platform,
        {{ visitor_key }} as visitor_key,
        occurred_at,
        _loaded_at
    from {{ ref('stg_tracking__events') }}
    {%- if is_incremental() %}
        where {{ visitor_key }} in (select visitors_to_redo.visitor_key from visitors_to_redo)
    {%- endif %}
),

gaps_flagged as (
    select
        *,
        case
            when lag(occurred_at)
                    over (
                        partition by anonymous_id, platform order by occurred_at, message_id
                    )
                is null then 1
            when {{ dbt.datediff(
                'lag(occurred_at) over (partition by anonymous_id, platform order by occurred_at, message_id)',
                'occurred_at', 'second') }} > {{ var('cdp_session_timeout_minutes') }} * 60 then 1
            else 0
        end as is_session_start
    from events
),

{%- if is_incremental() %}
    -- the rows this run replaces, as stored
    stored_events as (
        select
            message_id,
            anonymous_id,
            platform,
            visitor_key,
            previous_anonymous_id,
            previous_platform
        from {{ this }}
        where message_id in (select events.message_id from events)
    ),
{%- endif %}

numbered as (
    select
        *,
        sum(is_session_start) over (
            partition by anonymous_id, platform order by occurred_at, message_id
            rows between unbounded preceding and current row
        ) as session_number
    from gaps_flagged
),

final as (
    select
        numbered.message_id,
        {{ dbt.hash(dbt.concat(['numbered.anonymous_id', "'|'", 'numbered.platform', "'|'",
                                dbt.safe_cast('numbered.session_number', dbt.type_string())])) }} as session_id,
        numbered.anonymous_id,
        numbered.platform,
        numbered.visitor_key,
        numbered.session_number,
        numbered.occurred_at,
        numbered._loaded_at,
        {{ cdp.run_started_at_timestamp() }} as _written_at,
        {%- if is_incremental() %}
            -- moved now: the visitor it leaves; not moved: the one it left before, which a
            -- model that did not run since may not have redone yet
            case
                when numbered.visitor_key <> stored.visitor_key then stored.anonymous_id
                else stored.previous_anonymous_id
            end as previous_anonymous_id,
            case
                when numbered.visitor_key <> stored.visitor_key then stored.platform
                else stored.previous_platform
            end as previous_platform
        {%- else %}
            cast(null as {{ dbt.type_string() }}) as previous_anonymous_id,
            cast(null as {{ dbt.type_string() }}) as previous_platform
        {%- endif %}
    from numbered
    {%- if is_incremental() %}
        left join stored_events as stored on numbered.message_id = stored.message_id
    {%- endif %}
)

select * from final
