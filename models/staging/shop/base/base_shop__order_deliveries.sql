{#
    Every raw delivery of orders, renamed, typed and checked (`_invalid_reason`), one row per
    raw row. Ranking the deliveries of an order is left to the next model, so the
    incremental staging model can read only what landed since its last run.
#}
with source as (
    select * from {{ source('shop', 'shop_orders') }}
),

renamed as (
    select
        {{ cdp.clean_text('order_id') }} as order_id,
        {{ cdp.clean_text('customer_id') }} as shop_customer_id,
        {{ cdp.clean_text('email') }} as email,
        {{ cdp.clean_text('phone') }} as phone,
        {{ cdp.clean_text('street_address') }} as street_address,
        {{ cdp.clean_text('city') }} as city,
        {{ cdp.clean_text('postal_code') }} as postal_code,
        upper({{ cdp.clean_text('country') }}) as country,
        lower({{ cdp.clean_text('order_status') }}) as order_status,
        upper({{ cdp.clean_text('currency') }}) as currency,
        {{ dbt.safe_cast('total_amount', 'decimal(18, 2)') }} as total_amount,
        {{ dbt.safe_cast('discount_amount', 'decimal(18, 2)') }} as discount_amount,
        {{ cdp.to_timestamp('ordered_at') }} as ordered_at,
        {{ cdp.to_timestamp('updated_at') }} as updated_at,
        {{ cdp.to_timestamp('_loaded_at') }} as _loaded_at,
        -- the content's hash, the last tie-break between deliveries (cdp.delivery_order)
        {{ cdp.delivery_fingerprint(source('shop', 'shop_orders')) }} as _delivery_fingerprint
    from source
),

validated as (
    select
        *,
        case
            when ordered_at is null then 'unparseable_timestamp'
            when {{ cdp.is_future('ordered_at') }} then 'future_timestamp'
            when total_amount < 0 then 'negative_amount'
        end as _invalid_reason
    from renamed
)

select * from validated
