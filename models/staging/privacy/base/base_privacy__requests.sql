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
        {{ cdp.to_timestamp('_loaded_at') }} as _loaded_at
    from source
),

ranked as (
    select
        *,
        {{ cdp.dedupe_rank('privacy_request_id', '_loaded_at desc') }} as _delivery_rank,
        min(_loaded_at) over (partition by privacy_request_id) as _first_loaded_at
    from renamed
)

select
    *,
    {{ cdp.rejection_reason('privacy_request_id') }} as rejection_reason
from ranked
