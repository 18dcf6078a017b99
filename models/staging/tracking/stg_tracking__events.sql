{{
    config(
        materialized='incremental',
        incremental_strategy=cdp.upsert_strategy(),
        unique_key='message_id',
        on_schema_change='fail'
    )
}}
-- depends_on: {{ ref('base_tracking__event_deliveries') }}
{#-
    Each payload is parsed once for all of its paths (cdp.json_parse_paths). The traits and
    context payloads are not kept: every field the project reads is extracted below, and
    their copy would double the personal data held in staging (raw keeps them). properties
    is kept for the events mart, which reads eleven paths of it.
#}
{%- set trait_paths = ['$.email', '$.phone', '$.first_name', '$.last_name'] %}
{%- set context_paths = ['$.device.id', '$.ip', '$.user_agent', '$.page.url',
                         '$.campaign.source', '$.campaign.medium', '$.campaign.name'] %}
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

payloads_parsed as (
    select
        *,
        {{ cdp.json_parse_paths('traits', trait_paths) }} as trait_values,
        {{ cdp.json_parse_paths('context', context_paths) }} as context_values
    from events
),

payloads_read as (
    select
        *,
        {{ cdp.json_parsed_value('trait_values', trait_paths, '$.email') }} as traits_email,
        {{ cdp.json_parsed_value('trait_values', trait_paths, '$.phone') }} as traits_phone,
        -- read several times by the rules below; computed once (see cdp.normalize_phone)
        {{ cdp.phone_digits(cdp.json_parsed_value('trait_values', trait_paths, '$.phone')) }}
            as traits_phone_digits
    from payloads_parsed
),

traits_normalized as (
    select
        *,
        {{ cdp.normalize_email('traits_email') }} as traits_email_normalized,
        {{ cdp.normalize_phone('traits_phone', digits='traits_phone_digits') }} as traits_phone_e164
    from payloads_read
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
        traits_email,
        traits_email_normalized,
        {{ cdp.email_invalid_reason('traits_email_normalized') }} as traits_email_invalid_reason,
        traits_phone,
        traits_phone_e164,
        {{ cdp.phone_invalid_reason('traits_phone', 'traits_phone_e164', digits='traits_phone_digits') }}
            as traits_phone_invalid_reason,
        {{ cdp.json_parsed_value('trait_values', trait_paths, '$.first_name') }} as traits_first_name,
        {{ cdp.json_parsed_value('trait_values', trait_paths, '$.last_name') }} as traits_last_name,
        {{ cdp.json_parsed_value('context_values', context_paths, '$.device.id') }} as device_id,
        {{ cdp.json_parsed_value('context_values', context_paths, '$.ip') }} as ip_address,
        {{ cdp.json_parsed_value('context_values', context_paths, '$.user_agent') }} as user_agent,
        {{ cdp.json_parsed_value('context_values', context_paths, '$.page.url') }} as context_page_url,
        {{ cdp.json_parsed_value('context_values', context_paths, '$.campaign.source') }} as campaign_source,
        {{ cdp.json_parsed_value('context_values', context_paths, '$.campaign.medium') }} as campaign_medium,
        {{ cdp.json_parsed_value('context_values', context_paths, '$.campaign.name') }} as campaign_name,
        occurred_at,
        received_at,
        {{ dbt.datediff('occurred_at', 'received_at', 'second') }} as arrival_delay_seconds,  -- noqa: LT05
        _first_loaded_at,
        _loaded_at,
        _delivery_fingerprint,
        {{ cdp.run_started_at_timestamp() }} as _written_at
    from traits_normalized
)

select * from final
