with order_items as (
    select * from {{ ref('base_shop__order_items') }}
    where rejection_reason is null
),

final as (
    select
        order_item_id,
        order_id,
        line_number,
        sku,
        product_name,
        category,
        quantity,
        unit_price,
        quantity * unit_price as line_amount,
        quantity is not null and quantity > 0 as is_valid_quantity,
        _first_loaded_at,
        _loaded_at
    from order_items
)

select * from final
