with activity as (
    select * from {{ ref('base_email__activity') }}
    where rejection_reason is null
),

final as (
    select
        email_activity_id,
        email,
        campaign_id,
        activity_type,
        occurred_at,
        _loaded_at
    from activity
)

select * from final
