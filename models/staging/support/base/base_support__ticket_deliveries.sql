{#
    Every raw support ticket delivery, renamed, typed and checked (`_invalid_reason`), one row
    per raw row. Ranking the deliveries of a record is left to the next model, so the
    incremental staging model can read only what landed since its last run.
#}
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
        {{ cdp.to_timestamp('_loaded_at') }} as _loaded_at,
        -- the content's hash, the last tie-break between deliveries (cdp.delivery_order)
        {{ cdp.delivery_fingerprint(source('support', 'support_tickets')) }} as _delivery_fingerprint
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
)

select * from validated
