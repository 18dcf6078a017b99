with orders as (
    select * from {{ ref('base_shop__orders') }}
    where rejection_reason is null
),

normalized as (
    select
        *,
        {{ cdp.normalize_email('email') }} as email_normalized,
        {{ cdp.normalize_phone('phone') }} as phone_e164
    from orders
),

final as (
    select
        order_id,
        shop_customer_id,
        email,
        email_normalized,
        {{ cdp.email_invalid_reason('email_normalized') }} as email_invalid_reason,
        phone,
        phone_e164,
        {{ cdp.phone_invalid_reason('phone', 'phone_e164') }} as phone_invalid_reason,
        street_address,
        {{ cdp.normalize_street('street_address') }} as street_address_normalized,
        city,
        {{ cdp.normalize_name('city') }} as city_normalized,
        postal_code,
        {{ cdp.normalize_postal_code('postal_code') }} as postal_code_normalized,
        {{ cdp.normalize_country('country') }} as country_code,
        order_status,
        currency,
        total_amount,
        discount_amount,
        is_guest_checkout,
        ordered_at,
        updated_at,
        _first_loaded_at,
        _loaded_at
    from normalized
)

select * from final
