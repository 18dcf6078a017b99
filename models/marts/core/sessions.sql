{#
    Web and app sessions: a visitor's events on one platform until
    var('cdp_session_timeout_minutes') pass without one.

    Incremental (delete+insert per visitor): the sessions of every visitor whose events
    were reprocessed are rebuilt from their events and replace the visitor's old sessions;
    sessions of visitors erased since, and of visitors an event was re-delivered away
    from (who may have no event left), are deleted first (pre-hooks).
#}
{{
    config(
        materialized='incremental',
        incremental_strategy=cdp.upsert_strategy(),
        unique_key=['anonymous_id', 'platform'],
        on_schema_change='fail',
        pre_hook=[
            "{% if is_incremental() %}delete from {{ this }} where anonymous_id in (select source_record_id from {{ ref('int_records__attributed') }} where source = 'tracking_events' and is_erased){% endif %}",
            "{% if is_incremental() %}delete from {{ this }} where (anonymous_id, platform) in ({{ cdp.visitors_events_moved_away_from(cdp.incremental_watermark('loaded_at')) }}){% endif %}"
        ]
    )
}}
-- depends_on: {{ ref('int_records__attributed') }}
-- depends_on: {{ ref('int_tracking_events__sessionized') }}
-- depends_on: {{ ref('stg_tracking__events') }}
with events as (
    select * from {{ ref('events') }}
    where
        session_id is not null  -- noqa: LT02
        {%- if is_incremental() %}
            -- a session_id needs both (int_tracking_events__sessionized): no null to match
            and (anonymous_id, platform) in (
                {{ cdp.tracking_visitors_to_reprocess(
                    cdp.incremental_watermark('loaded_at'), columns='anonymous_id, platform') }}
            )
        {%- endif %}
),

sessions_aggregated as (
    select
        session_id,
        -- a session is one visitor on one platform: grouping by them names the same
        -- sessions, and is cheaper than max() over their text (16 s -> 14.5 s at 1M)
        anonymous_id,
        platform,
        channel,
        max(customer_id) as customer_id,
        min(occurred_at) as started_at,
        max(occurred_at) as ended_at,
        count(*) as event_count,
        sum(case when event_category = 'navigation' then 1 else 0 end) as page_view_count,
        sum(case when event_name = 'Product Viewed' then 1 else 0 end) as product_view_count,
        sum(case when event_name = 'Product Added' then 1 else 0 end) as product_added_count,
        max(case when event_name = 'Checkout Started' then 1 else 0 end) = 1 as has_checkout_started,
        max(case when event_name = 'Order Completed' then 1 else 0 end) = 1 as has_order_completed,
        max(case when event_name = 'Identified' then 1 else 0 end) = 1 as has_identified,
        max(campaign_source) as campaign_source,
        max(campaign_medium) as campaign_medium,
        max(campaign_name) as campaign_name,
        max(loaded_at) as loaded_at
    from events
    group by session_id, anonymous_id, platform, channel
),

landing_pages as (
    select
        session_id,
        page_url as landing_page_url,
        row_number() over (partition by session_id order by occurred_at, event_id) as page_rank
    from events
    where page_url is not null
),

final as (
    select
        sessions_aggregated.session_id,
        sessions_aggregated.customer_id,
        sessions_aggregated.anonymous_id,
        sessions_aggregated.channel,
        sessions_aggregated.platform,
        landing_pages.landing_page_url,
        sessions_aggregated.campaign_source,
        sessions_aggregated.campaign_medium,
        sessions_aggregated.campaign_name,
        sessions_aggregated.event_count,
        sessions_aggregated.page_view_count,
        sessions_aggregated.product_view_count,
        sessions_aggregated.product_added_count,
        sessions_aggregated.has_checkout_started,
        sessions_aggregated.has_order_completed,
        sessions_aggregated.has_identified,
        sessions_aggregated.started_at,
        sessions_aggregated.ended_at,
        {{ dbt.datediff('sessions_aggregated.started_at', 'sessions_aggregated.ended_at', 'second') }}
            as duration_seconds,
        cast(sessions_aggregated.started_at as date) as session_date,
        sessions_aggregated.loaded_at,
        {{ cdp.run_started_at_timestamp() }} as written_at
    from sessions_aggregated
    left join landing_pages
        on sessions_aggregated.session_id = landing_pages.session_id
        and landing_pages.page_rank = 1
)

select * from final
