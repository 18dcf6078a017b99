with consent_events as (
    select * from {{ ref('base_privacy__consent_events') }}
    where rejection_reason is null
),

final as (
    select
        consent_event_id,
        identifier_type,
        identifier_value,
        purpose,
        consent_status,
        capture_source,
        occurred_at,
        _loaded_at
    from consent_events
)

select * from final
