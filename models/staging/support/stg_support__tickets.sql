with tickets as (
    select * from {{ ref('base_support__tickets') }}
    where rejection_reason is null
),

final as (
    select
        support_ticket_id,
        requester_email,
        requester_phone,
        requester_name,
        channel,
        subject,
        ticket_status,
        priority,
        created_at,
        resolved_at,
        _loaded_at
    from tickets
)

select * from final
