with accounts as (
    select * from {{ ref('base_crm__accounts') }}
    where rejection_reason is null
),

final as (
    select
        crm_account_id,
        account_name,
        industry,
        country,
        created_at,
        updated_at,
        _first_loaded_at,
        _loaded_at
    from accounts
)

select * from final
