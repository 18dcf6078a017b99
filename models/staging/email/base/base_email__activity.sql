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

ranked as (
    select
        *,
        {{ cdp.dedupe_rank('email_activity_id', '_loaded_at desc') }} as _delivery_rank,
        min(_loaded_at) over (partition by email_activity_id) as _first_loaded_at
    from renamed
)

select
    *,
    {{ cdp.rejection_reason('email_activity_id') }} as rejection_reason
from ranked
