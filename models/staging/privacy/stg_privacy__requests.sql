with requests as (
    select * from {{ ref('base_privacy__requests') }}
    where rejection_reason is null
),

final as (
    select
        privacy_request_id,
        identifier_type,
        identifier_value,
        request_type,
        received_at,
        _loaded_at
    from requests
)

select * from final
