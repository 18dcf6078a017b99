{#
    Every raw delivery of order lines, renamed, typed and checked (`_invalid_reason`), one
    row per raw row. Ranking the deliveries of a record is left to the next model, so the
    incremental staging model can read only what landed since its last run.
#}
with source as (
    select * from {{ source('shop', 'shop_order_items') }}
),

renamed as (
    select
        {{ cdp.clean_text('order_id') }} as order_id,
        {{ dbt.safe_cast('line_number', dbt.type_int()) }} as line_number,
        {{ cdp.clean_text('sku') }} as sku,
        {{ cdp.clean_text('product_name') }} as product_name,
        lower({{ cdp.clean_text('category') }}) as category,
        {{ dbt.safe_cast('quantity', dbt.type_int()) }} as quantity,
        {{ dbt.safe_cast('unit_price', 'decimal(18, 2)') }} as unit_price,
        {{ cdp.to_timestamp('_loaded_at') }} as _loaded_at,
        -- the content's hash, the last tie-break between deliveries (cdp.delivery_order)
        {{ cdp.delivery_fingerprint(source('shop', 'shop_order_items')) }} as _delivery_fingerprint
    from source
),

keyed as (
    select
        *,
        {{ dbt.concat(['order_id', "'-'", dbt.safe_cast('line_number', dbt.type_string())]) }}
            as order_item_id
    from renamed
),

validated as (
    select
        *,
        case
            when quantity < 0 then 'negative_quantity'
            when unit_price < 0 then 'negative_amount'
        end as _invalid_reason
    from keyed
)

select * from validated
