with source as (
    select * from {{ source('email', 'email_activity') }}
),

renamed as (
    select
        {{ cdp.clean_text('activity_id') }} as email_activity_id,
        {{ cdp.clean_text('email') }} as email,
        {{ cdp.clean_text('campaign_id') }} as campaign_id,
        lower({{ cdp.clean_text('activity_type') }}) as activity_type,
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
            when email is null then 'invalid_email'
            when {{ cdp.email_invalid_reason(cdp.normalize_email('email')) }} is not null then 'invalid_email'
        end as _invalid_reason
    from renamed
),

ranked as (
    select
        *,
        {{ cdp.dedupe_rank('email_activity_id', '(_invalid_reason is not null), _loaded_at desc') }}
            as _delivery_rank,
        min(_loaded_at) over (partition by email_activity_id) as _first_loaded_at
    from validated
)

select
    *,
    {{ cdp.rejection_reason('email_activity_id', invalid_reason='_invalid_reason') }} as rejection_reason
from ranked
