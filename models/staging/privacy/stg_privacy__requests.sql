with requests as (
    select
        *,
        -- read several times by the rules below; computed once (see cdp.normalize_phone)
        case
            when identifier_type = 'phone' then {{ cdp.phone_digits('identifier_value') }}
        end as phone_digits
    from {{ ref('base_privacy__requests') }}
    where rejection_reason is null
),

final as (
    select
        privacy_request_id,
        identifier_type,
        identifier_value,
        case
            when identifier_type = 'email' then {{ cdp.normalize_email('identifier_value') }}
            when identifier_type = 'phone'
                then {{ cdp.normalize_phone('identifier_value', digits='phone_digits') }}
        end as identifier_normalized,
        request_type,
        received_at,
        _first_loaded_at,
        _loaded_at
    from requests
)

select * from final
