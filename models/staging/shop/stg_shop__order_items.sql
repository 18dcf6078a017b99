{{
    config(
        materialized='incremental',
        incremental_strategy=cdp.upsert_strategy(),
        unique_key='order_item_id',
        on_schema_change='fail'
    )
}}
-- depends_on: {{ ref('base_shop__order_item_deliveries') }}
with order_items as (
    {% if is_incremental() %}
        {{ cdp.latest_valid_deliveries_since_last_run(
            ref('base_shop__order_item_deliveries'), 'order_item_id', [
            'order_item_id',
            'order_id',
            'line_number',
            'sku',
            'product_name',
            'category',
            'quantity',
            'unit_price'
            ]) }}
    {% else %}
        select * from {{ ref('base_shop__order_items') }}
        where rejection_reason is null
    {% endif %}
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
        _loaded_at,
        _delivery_fingerprint,
        {{ cdp.run_started_at_timestamp() }} as _written_at
    from order_items
)

select * from final
