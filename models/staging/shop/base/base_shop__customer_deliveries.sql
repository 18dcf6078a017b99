{#
    Every raw shop customer account delivery, renamed, typed and checked (`_invalid_reason`), one row
    per raw row. Ranking the deliveries of a record is left to the next model, so the
    incremental staging model can read only what landed since its last run.
#}
with source as (
    select * from {{ source('shop', 'shop_customers') }}
),

renamed as (
    select
        {{ cdp.clean_text('customer_id') }} as shop_customer_id,
        {{ cdp.clean_text('email') }} as email,
        {{ cdp.clean_text('phone') }} as phone,
        {{ cdp.clean_text('first_name') }} as first_name,
        {{ cdp.clean_text('last_name') }} as last_name,
        {{ dbt.safe_cast('accepts_marketing', dbt.type_boolean()) }} as accepts_marketing,
        {{ cdp.to_timestamp('created_at') }} as created_at,
        {{ cdp.to_timestamp('updated_at') }} as updated_at,
        {{ cdp.to_timestamp('_loaded_at') }} as _loaded_at,
        -- the content's hash, the last tie-break between deliveries (cdp.delivery_order)
        {{ cdp.delivery_fingerprint(source('shop', 'shop_customers')) }} as _delivery_fingerprint
    from source
),

validated as (
    select
        *,
        -- no row-level check: invalid values are flagged per column in staging
        cast(null as {{ dbt.type_string() }}) as _invalid_reason
    from renamed
)

select * from validated
