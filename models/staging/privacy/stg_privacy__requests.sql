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

identifiers_normalized as (
    select
        *,
        {{ cdp.normalize_typed_identifier('identifier_type', 'identifier_value', 'phone_digits') }}
            as identifier_normalized
    from requests
),

final as (
    select
        privacy_request_id,
        identifier_type,
        identifier_value,
        identifier_normalized,
        {{ cdp.typed_identifier_invalid_reason(
            'identifier_type', 'identifier_value', 'identifier_normalized', 'phone_digits') }}
            as identifier_invalid_reason,
        request_type,
        received_at,
        _first_loaded_at,
        _loaded_at
    from identifiers_normalized
)

select * from final
