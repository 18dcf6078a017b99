with consent_events as (
    select
        *,
        -- read several times by the rules below; computed once (see cdp.normalize_phone)
        case
            when identifier_type = 'phone' then {{ cdp.phone_digits('identifier_value') }}
        end as phone_digits
    from {{ ref('base_privacy__consent_events') }}
    where rejection_reason is null
),

final as (
    select
        consent_event_id,
        identifier_type,
        identifier_value,
        case
            when identifier_type = 'email' then {{ cdp.normalize_email('identifier_value') }}
            when identifier_type = 'phone'
                then {{ cdp.normalize_phone('identifier_value', digits='phone_digits') }}
        end as identifier_normalized,
        purpose,
        consent_status,
        capture_source,
        occurred_at,
        _first_loaded_at,
        _loaded_at
    from consent_events
)

select * from final
