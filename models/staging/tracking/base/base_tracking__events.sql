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

ranked as (
    select
        *,
        {{ cdp.dedupe_rank('message_id', '_loaded_at desc') }} as _delivery_rank,
        min(_loaded_at) over (partition by message_id) as _first_loaded_at
    from renamed
)

select
    *,
    {{ cdp.rejection_reason('message_id') }} as rejection_reason
from ranked
