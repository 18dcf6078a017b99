{#
    One row per consent event. Incremental: the records with a delivery that landed
    since the last run, their winner chosen against the stored one
    (cdp.latest_valid_deliveries_since_last_run).
#}
{{
    config(
        materialized='incremental',
        incremental_strategy=cdp.upsert_strategy(),
        unique_key='consent_event_id',
        on_schema_change='fail'
    )
}}
-- depends_on: {{ ref('base_privacy__consent_event_deliveries') }}
with consent_events as (
    {% if is_incremental() %}
        {{ cdp.latest_valid_deliveries_since_last_run(
            ref('base_privacy__consent_event_deliveries'), 'consent_event_id', [
            'consent_event_id',
            'identifier_type',
            'identifier_value',
            'purpose',
            'consent_status',
            'capture_source',
            'occurred_at'
            ]) }}
    {% else %}
        select * from {{ ref('base_privacy__consent_events') }}
        where rejection_reason is null
    {% endif %}
),

match_key_inputs as (
    select
        *,
        -- read several times by the rules below; computed once (see cdp.normalize_phone)
        case
            when identifier_type = 'phone' then {{ cdp.phone_digits('identifier_value') }}
        end as phone_digits
    from consent_events
),

identifiers_normalized as (
    select
        *,
        {{ cdp.normalize_typed_identifier('identifier_type', 'identifier_value', 'phone_digits') }}
            as identifier_normalized
    from match_key_inputs
),

final as (
    select
        consent_event_id,
        identifier_type,
        identifier_value,
        identifier_normalized,
        {{ cdp.typed_identifier_invalid_reason(
            'identifier_type', 'identifier_value', 'identifier_normalized', 'phone_digits') }}
            as identifier_invalid_reason,
        purpose,
        consent_status,
        capture_source,
        occurred_at,
        _first_loaded_at,
        _loaded_at,
        _delivery_fingerprint,
        {{ cdp.run_started_at_timestamp() }} as _written_at
    from identifiers_normalized
)

select * from final
