with customers as (
    select
        *,
        -- read several times by the rules below; computed once (see cdp.normalize_phone)
        {{ cdp.phone_digits('phone') }} as phone_digits
    from {{ ref('base_shop__customers') }}
    where rejection_reason is null
),

normalized as (
    select
        *,
        {{ cdp.normalize_email('email') }} as email_normalized,
        {{ cdp.normalize_phone('phone', digits='phone_digits') }} as phone_e164
    from customers
),

final as (
    select
        shop_customer_id,
        email,
        email_normalized,
        {{ cdp.email_invalid_reason('email_normalized') }} as email_invalid_reason,
        phone,
        phone_e164,
        {{ cdp.phone_invalid_reason('phone', 'phone_e164', digits='phone_digits') }} as phone_invalid_reason,
        first_name,
        last_name,
        {{ cdp.normalize_name('first_name') }} as first_name_normalized,
        {{ cdp.normalize_name('last_name') }} as last_name_normalized,
        accepts_marketing,
        created_at,
        updated_at,
        _first_loaded_at,
        _loaded_at
    from normalized
)

select * from final
