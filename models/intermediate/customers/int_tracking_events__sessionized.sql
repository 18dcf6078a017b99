{#
    Assigns every tracking event to a session: a visitor's (anonymous_id's) events on one
    platform, split where more than var('cdp_session_timeout_minutes') pass without an event.

    Incremental: a visitor whose events landed since the last run has all of their events
    re-sessionized (a late event can join or split sessions), then replaces their rows.
#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='visitor_key',
        on_schema_change='fail'
    )
}}
{%- set visitor_key = cdp.visitor_key() %}
with events as (
    select
        message_id,
        anonymous_id,
        platform,
        {{ visitor_key }} as visitor_key,
        occurred_at,
        _loaded_at
    from {{ ref('stg_tracking__events') }}
    {%- if is_incremental() %}
        where {{ visitor_key }} in (
                select {{ visitor_key }} from {{ ref('stg_tracking__events') }}
                where _loaded_at > {{ cdp.incremental_watermark() }}  -- noqa: RF02
            )
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
        message_id,
        {{ dbt.hash(dbt.concat(['anonymous_id', "'|'", 'platform', "'|'",
                                dbt.safe_cast('session_number', dbt.type_string())])) }} as session_id,
        anonymous_id,
        platform,
        visitor_key,
        session_number,
        occurred_at,
        _loaded_at
    from numbered
)

select * from final
