{#
    One row per support ticket, its latest delivery. Incremental: the records with a
    delivery that landed since the last run, their winner chosen against the stored one
    (cdp.latest_valid_deliveries_since_last_run).
#}
{{
    config(
        materialized='incremental',
        incremental_strategy=cdp.upsert_strategy(),
        unique_key='support_ticket_id',
        on_schema_change='fail'
    )
}}
-- depends_on: {{ ref('base_support__ticket_deliveries') }}
with tickets as (
    {% if is_incremental() %}
        {{ cdp.latest_valid_deliveries_since_last_run(
            ref('base_support__ticket_deliveries'), 'support_ticket_id', [
            'support_ticket_id',
            'requester_email',
            'requester_phone',
            'requester_name',
            'channel',
            'subject',
            'ticket_status',
            'priority',
            'created_at',
            'resolved_at'
            ]) }}
    {% else %}
        select * from {{ ref('base_support__tickets') }}
        where rejection_reason is null
    {% endif %}
),

match_key_inputs as (
    select
        *,
        -- read several times by the rules below; computed once (see cdp.normalize_phone)
        {{ cdp.phone_digits('requester_phone') }} as requester_phone_digits,
        {{ cdp.strip_name_affixes('requester_name') }} as requester_name_without_affixes
    from tickets
),

normalized as (
    select
        *,
        {{ cdp.normalize_email('requester_email') }} as requester_email_normalized,
        {{ cdp.normalize_phone('requester_phone', digits='requester_phone_digits') }} as requester_phone_e164,
        {{ cdp.first_name_of('requester_name_without_affixes') }} as requester_first_name,
        {{ cdp.last_name_of('requester_name_without_affixes') }} as requester_last_name
    from match_key_inputs
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
        {{ cdp.name_suffix_of('requester_name') }} as requester_name_suffix,
        channel,
        subject,
        ticket_status,
        priority,
        created_at,
        resolved_at,
        _first_loaded_at,
        _loaded_at,
        _delivery_fingerprint,
        {{ cdp.run_started_at_timestamp() }} as _written_at
    from normalized
)

select * from final
