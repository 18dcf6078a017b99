with source as (
    select * from {{ source('privacy', 'privacy_requests') }}
),

renamed as (
    select
        {{ cdp.clean_text('request_id') }} as privacy_request_id,
        lower({{ cdp.clean_text('identifier_type') }}) as identifier_type,
        {{ cdp.clean_text('identifier_value') }} as identifier_value,
        lower({{ cdp.clean_text('request_type') }}) as request_type,
        {{ cdp.to_timestamp('received_at') }} as received_at,
        {{ cdp.to_timestamp('_loaded_at') }} as _loaded_at,
        -- the content's hash, the last tie-break between deliveries (cdp.delivery_order)
        {{ cdp.delivery_fingerprint(source('privacy', 'privacy_requests')) }} as _delivery_fingerprint
    from source
),

validated as (
    select
        *,
        case
            when received_at is null then 'unparseable_timestamp'
            when {{ cdp.is_future('received_at') }} then 'future_timestamp'
        end as _invalid_reason
    from renamed
),

ranked as (
    select
        *,
        {{ cdp.dedupe_rank('privacy_request_id', cdp.delivery_order()) }}
            as _delivery_rank,
        min(_loaded_at) over (partition by privacy_request_id) as _first_loaded_at
    from validated
)

select
    *,
    {{ cdp.rejection_reason('privacy_request_id', invalid_reason='_invalid_reason') }} as rejection_reason
from ranked
