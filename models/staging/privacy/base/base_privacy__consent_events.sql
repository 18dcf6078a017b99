with source as (
    select * from {{ source('privacy', 'consent_events') }}
),

renamed as (
    select
        {{ cdp.clean_text('consent_event_id') }} as consent_event_id,
        lower({{ cdp.clean_text('identifier_type') }}) as identifier_type,
        {{ cdp.clean_text('identifier_value') }} as identifier_value,
        lower({{ cdp.clean_text('purpose') }}) as purpose,
        lower({{ cdp.clean_text('status') }}) as consent_status,
        lower({{ cdp.clean_text('source') }}) as capture_source,
        {{ cdp.to_timestamp('occurred_at') }} as occurred_at,
        {{ cdp.to_timestamp('_loaded_at') }} as _loaded_at
    from source
),

validated as (
    select
        *,
        case
            when occurred_at is null then 'unparseable_timestamp'
            when {{ cdp.is_future('occurred_at') }} then 'future_timestamp'
        end as _invalid_reason
    from renamed
),

ranked as (
    select
        *,
        {{ cdp.dedupe_rank('consent_event_id', cdp.delivery_order()) }}
            as _delivery_rank,
        min(_loaded_at) over (partition by consent_event_id) as _first_loaded_at
    from validated
)

select
    *,
    {{ cdp.rejection_reason('consent_event_id', invalid_reason='_invalid_reason') }} as rejection_reason
from ranked
