with orders as (
    select * from {{ ref('base_shop__orders') }}
    where rejection_reason is null
),

final as (
    select
        order_id,
        shop_customer_id,
        email,
        phone,
        street_address,
        city,
        postal_code,
        country,
        order_status,
        currency,
        total_amount,
        discount_amount,
        is_guest_checkout,
        ordered_at,
        updated_at,
        _loaded_at
    from orders
)

select * from final
