{#
    Every raw delivery of tracking events, renamed, typed and checked (`_invalid_reason`), one
    row per raw row. Ranking the deliveries of a record is left to the next model, so the
    incremental staging model can read only what landed since its last run.
#}
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
        {{ cdp.to_timestamp(adapter.quote('timestamp')) }} as occurred_at,
        {{ cdp.to_timestamp('received_at') }} as received_at,
        {{ cdp.to_timestamp('_loaded_at') }} as _loaded_at,
        -- the content's hash, the last tie-break between deliveries (cdp.delivery_order)
        {{ cdp.delivery_fingerprint(source('tracking', 'tracking_events')) }} as _delivery_fingerprint,
        -- the key as it landed, uncleaned: a join on it reaches the raw scan, so an incremental
        -- run finds every delivery of a few records without checking every row
        message_id as _key_as_delivered
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
)

select * from validated
