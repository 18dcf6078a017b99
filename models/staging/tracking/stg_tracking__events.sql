{{
    config(
        materialized='incremental',
        incremental_strategy='merge',
        unique_key='message_id',
        on_schema_change='fail'
    )
}}
-- depends_on: {{ ref('base_tracking__event_deliveries') }}
with events as (
    {% if is_incremental() %}
        {{ cdp.latest_valid_deliveries_since_last_run(
            ref('base_tracking__event_deliveries'), 'message_id', [
            'message_id',
            'platform',
            'event_type',
            'event_name',
            'anonymous_id',
            'user_id',
            'properties',
            'traits',
            'context',
            'occurred_at',
            'received_at'
            ]) }}
    {% else %}
        select * from {{ ref('base_tracking__events') }}
        where rejection_reason is null
    {% endif %}
),

payloads_checked as (
    select
        *,
        {{ cdp.json_get('traits', '$.email') }} as traits_email,
        {{ cdp.json_get('traits', '$.phone') }} as traits_phone,
        {{ cdp.json_is_valid('properties') }} as is_properties_valid_json,
        {{ cdp.json_is_valid('traits') }} as is_traits_valid_json,
        {{ cdp.json_is_valid('context') }} as is_context_valid_json
    from events
),

final as (
    select
        message_id,
        platform,
        event_type,
        event_name,
        anonymous_id,
        user_id,
        properties,
        traits,
        context,
        traits_email,
        {{ cdp.normalize_email('traits_email') }} as traits_email_normalized,
        traits_phone,
        {{ cdp.normalize_phone('traits_phone') }} as traits_phone_e164,
        {{ cdp.json_get('traits', '$.first_name') }} as traits_first_name,
        {{ cdp.json_get('traits', '$.last_name') }} as traits_last_name,
        {{ cdp.json_get('context', '$.device.id') }} as device_id,
        {{ cdp.json_get('context', '$.ip') }} as ip_address,
        {{ cdp.json_get('context', '$.user_agent') }} as user_agent,
        {{ cdp.json_get('context', '$.page.url') }} as context_page_url,
        {{ cdp.json_get('context', '$.campaign.source') }} as campaign_source,
        {{ cdp.json_get('context', '$.campaign.medium') }} as campaign_medium,
        {{ cdp.json_get('context', '$.campaign.name') }} as campaign_name,
        (
            coalesce(is_properties_valid_json, true)
            and coalesce(is_traits_valid_json, true)
            and coalesce(is_context_valid_json, true)
        ) as has_valid_payload,
        occurred_at,
        received_at,
        {{ dbt.datediff('occurred_at', 'received_at', 'second') }} as arrival_delay_seconds,  -- noqa: LT05
        _first_loaded_at,
        _loaded_at
    from payloads_checked
)

select * from final
