with activity as (
    select * from {{ ref('base_email__activity') }}
    where rejection_reason is null
),

normalized as (
    select
        *,
        {{ cdp.normalize_email('email') }} as email_normalized
    from activity
),

final as (
    select
        email_activity_id,
        email,
        email_normalized,
        {{ cdp.email_invalid_reason('email_normalized') }} as email_invalid_reason,
        campaign_id,
        activity_type,
        occurred_at,
        _first_loaded_at,
        _loaded_at
    from normalized
)

select * from final
