{#
    Line items of online orders, with the order's customer, currency and reporting amounts.
    Store transactions carry only an item count (see transactions.item_count). A line whose
    order was rejected in staging is kept, with null order attributes.

    Incremental (delete+insert on transaction_item_id): a run re-emits the lines that landed since
    the last run and every line of an order that landed, changed, received a line or changed
    customer. Lines and orders come from two loaders: each is compared with its own
    high-water mark (line_loaded_at, order_loaded_at), whatever the lag between them.
#}
{{
    config(
        materialized='incremental',
        incremental_strategy=cdp.upsert_strategy(),
        unique_key='transaction_item_id',
        on_schema_change='fail'
    )
}}
-- depends_on: {{ ref('int_records__attributed') }}
{%- set line_watermark = cdp.incremental_watermark('line_loaded_at') %}
with transactions as (
    select * from {{ ref('transactions') }}
    where source = 'shop_orders'
),

order_items as (
    select * from {{ ref('stg_shop__order_items') }}
    {%- if is_incremental() %}
        where _loaded_at > {{ line_watermark }}
            or order_id in (
                select transactions.source_transaction_id from transactions
                where transactions.record_loaded_at > {{ cdp.incremental_watermark('order_loaded_at') }}
                    or transactions.lines_loaded_at > {{ line_watermark }}
            )
            or order_id in ({{ cdp.records_with_changed_attribution('shop_orders') }})
    {%- endif %}
),

final as (
    select
        order_items.order_item_id as transaction_item_id,
        {{ dbt.concat(["'shop-'", 'order_items.order_id']) }} as transaction_id,
        transactions.customer_id,
        order_items.line_number,
        order_items.sku,
        order_items.product_name,
        order_items.category as product_category,
        order_items.quantity,
        order_items.unit_price,
        cast(order_items.quantity * order_items.unit_price as decimal(18, 2)) as line_amount,
        transactions.currency,
        cast(order_items.quantity * order_items.unit_price * transactions.exchange_rate as decimal(18, 2))
            as line_amount_reporting,
        transactions.status as transaction_status,
        transactions.transacted_at,
        transactions.transaction_date,
        coalesce(transactions.loaded_at, order_items._loaded_at) as loaded_at,
        transactions.record_loaded_at as order_loaded_at,
        order_items._loaded_at as line_loaded_at,
        {{ cdp.run_started_at_timestamp() }} as written_at
    from order_items
    left join transactions on order_items.order_id = transactions.source_transaction_id
)

select * from final
