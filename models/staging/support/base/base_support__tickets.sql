with source as (
    select * from {{ source('support', 'support_tickets') }}
),

renamed as (
    select
        {{ cdp.clean_text('ticket_id') }} as support_ticket_id,
        {{ cdp.clean_text('requester_email') }} as requester_email,
        {{ cdp.clean_text('requester_phone') }} as requester_phone,
        {{ cdp.clean_text('requester_name') }} as requester_name,
        lower({{ cdp.clean_text('channel') }}) as channel,
        {{ cdp.clean_text('subject') }} as subject,
        lower({{ cdp.clean_text('status') }}) as ticket_status,
        lower({{ cdp.clean_text('priority') }}) as priority,
        {{ cdp.to_timestamp('created_at') }} as created_at,
        {{ cdp.to_timestamp('resolved_at') }} as resolved_at,
        {{ cdp.to_timestamp('_loaded_at') }} as _loaded_at
    from source
),

validated as (
    select
        *,
        case
            when created_at is null then 'unparseable_timestamp'
            when {{ cdp.is_future('created_at') }} then 'future_timestamp'
        end as _invalid_reason
    from renamed
),

ranked as (
    select
        *,
        {{ cdp.dedupe_rank('support_ticket_id', cdp.delivery_order()) }}
            as _delivery_rank,
        min(_loaded_at) over (partition by support_ticket_id) as _first_loaded_at
    from validated
)

select
    *,
    {{ cdp.rejection_reason('support_ticket_id', invalid_reason='_invalid_reason') }} as rejection_reason
from ranked
