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
        {{ cdp.to_timestamp('_loaded_at') }} as _loaded_at
    from source
),

ranked as (
    select
        *,
        {{ cdp.dedupe_rank('shop_customer_id', 'updated_at desc nulls last, _loaded_at desc') }}
            as _delivery_rank,
        min(_loaded_at) over (partition by shop_customer_id) as _first_loaded_at
    from renamed
)

select
    *,
    {{ cdp.rejection_reason('shop_customer_id') }} as rejection_reason
from ranked
