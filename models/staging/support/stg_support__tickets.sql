with tickets as (
    select
        *,
        -- read several times by the rules below; computed once (see cdp.normalize_phone)
        {{ cdp.phone_digits('requester_phone') }} as requester_phone_digits
    from {{ ref('base_support__tickets') }}
    where rejection_reason is null
),

normalized as (
    select
        *,
        {{ cdp.normalize_email('requester_email') }} as requester_email_normalized,
        {{ cdp.normalize_phone('requester_phone', digits='requester_phone_digits') }} as requester_phone_e164,
        {{ cdp.first_token('requester_name') }} as requester_first_name,
        {{ cdp.last_token('requester_name') }} as requester_last_name
    from tickets
),

final as (
    select
        support_ticket_id,
        requester_email,
        requester_email_normalized,
        {{ cdp.email_invalid_reason('requester_email_normalized') }} as requester_email_invalid_reason,
        requester_phone,
        requester_phone_e164,
        {{ cdp.phone_invalid_reason(
            'requester_phone', 'requester_phone_e164', digits='requester_phone_digits'
        ) }}
            as requester_phone_invalid_reason,
        requester_name,
        {{ cdp.normalize_name('requester_first_name') }} as requester_first_name_normalized,
        {{ cdp.normalize_name('requester_last_name') }} as requester_last_name_normalized,
        channel,
        subject,
        ticket_status,
        priority,
        created_at,
        resolved_at,
        _first_loaded_at,
        _loaded_at
    from normalized
)

select * from final
