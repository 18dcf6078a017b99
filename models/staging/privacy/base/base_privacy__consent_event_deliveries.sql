{#
    Every raw consent event delivery, renamed, typed and checked (`_invalid_reason`), one row
    per raw row. Ranking the deliveries of a record is left to the next model, so the
    incremental staging model can read only what landed since its last run.
#}
with source as (
    select * from {{ source('privacy', 'consent_events') }}
),

renamed as (
    select
        {{ cdp.clean_text('consent_event_id') }} as consent_event_id,
        lower({{ cdp.clean_text('identifier_type') }}) as identifier_type,
        {{ cdp.clean_text('identifier_value') }} as identifier_value,
        lower({{ cdp.clean_text('purpose') }}) as purpose,
        lower({{ cdp.clean_text('status') }}) as consent_status,
        lower({{ cdp.clean_text('source') }}) as capture_source,
        {{ cdp.to_timestamp('occurred_at') }} as occurred_at,
        {{ cdp.to_timestamp('_loaded_at') }} as _loaded_at,
        -- the content's hash, the last tie-break between deliveries (cdp.delivery_order)
        {{ cdp.delivery_fingerprint(source('privacy', 'consent_events')) }} as _delivery_fingerprint
    from source
),

validated as (
    select
        *,
        case
            when occurred_at is null then 'unparseable_timestamp'
            when {{ cdp.is_future('occurred_at') }} then 'future_timestamp'
        end as _invalid_reason
    from renamed
)

select * from validated
