with customers as (
    select * from {{ ref('base_shop__customers') }}
    where rejection_reason is null
),

final as (
    select
        shop_customer_id,
        email,
        phone,
        first_name,
        last_name,
        accepts_marketing,
        created_at,
        updated_at,
        _loaded_at
    from customers
)

select * from final
