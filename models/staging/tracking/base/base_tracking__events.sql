with source as (
    select * from {{ source('tracking', 'tracking_events') }}
),

renamed as (
    select
        {{ cdp.clean_text('message_id') }} as message_id,
        lower({{ cdp.clean_text('source') }}) as platform,
        lower({{ cdp.clean_text('type') }}) as event_type,
        {{ cdp.clean_text('event') }} as event_name,
        {{ cdp.clean_text('anonymous_id') }} as anonymous_id,
        {{ cdp.clean_text('user_id') }} as user_id,
        {{ cdp.clean_text('properties') }} as properties,
        {{ cdp.clean_text('traits') }} as traits,
        {{ cdp.clean_text('context') }} as context,
        {{ cdp.to_timestamp('"timestamp"') }} as occurred_at,
        {{ cdp.to_timestamp('received_at') }} as received_at,
        {{ cdp.to_timestamp('_loaded_at') }} as _loaded_at
    from source
),

validated as (
    select
        *,
        case
            when occurred_at is null then 'unparseable_timestamp'
            when {{ cdp.is_future('occurred_at') }} then 'future_timestamp'
            when not coalesce({{ cdp.json_is_valid('properties') }}, true) then 'malformed_json'
            when not coalesce({{ cdp.json_is_valid('traits') }}, true) then 'malformed_json'
            when not coalesce({{ cdp.json_is_valid('context') }}, true) then 'malformed_json'
        end as _invalid_reason
    from renamed
),

ranked as (
    select
        *,
        {{ cdp.dedupe_rank('message_id', '(_invalid_reason is not null), _loaded_at desc') }}
            as _delivery_rank,
        min(_loaded_at) over (partition by message_id) as _first_loaded_at
    from validated
)

select
    *,
    {{ cdp.rejection_reason('message_id', invalid_reason='_invalid_reason') }} as rejection_reason
from ranked
