{#
    One row per order, its latest status. Incremental: the orders with a delivery that
    landed since the last run, their winner chosen against the stored one
    (cdp.latest_valid_deliveries_since_last_run).
#}
{{
    config(
        materialized='incremental',
        incremental_strategy=cdp.upsert_strategy(),
        unique_key='order_id',
        on_schema_change='fail'
    )
}}
-- depends_on: {{ ref('base_shop__order_deliveries') }}
with orders as (
    {% if is_incremental() %}
        {{ cdp.latest_valid_deliveries_since_last_run(
            ref('base_shop__order_deliveries'), 'order_id', [
            'order_id',
            'shop_customer_id',
            'email',
            'phone',
            'street_address',
            'city',
            'postal_code',
            'country',
            'order_status',
            'currency',
            'total_amount',
            'discount_amount',
            'ordered_at',
            'updated_at'
            ], updated_at='updated_at') }}
    {% else %}
        select * from {{ ref('base_shop__orders') }}
        where rejection_reason is null
    {% endif %}
),

match_key_inputs as (
    select
        *,
        -- read several times by the rules below; computed once (see cdp.normalize_phone)
        {{ cdp.phone_digits('phone') }} as phone_digits,
        {{ cdp.postal_code_compact('postal_code') }} as postal_code_compact
    from orders
),

normalized as (
    select
        *,
        {{ cdp.normalize_email('email') }} as email_normalized,
        {{ cdp.normalize_phone('phone', digits='phone_digits') }} as phone_e164
    from match_key_inputs
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
        {{ cdp.phone_invalid_reason('phone', 'phone_e164', digits='phone_digits') }} as phone_invalid_reason,
        street_address,
        {{ cdp.normalize_street('street_address') }} as street_address_normalized,
        city,
        {{ cdp.normalize_name('city') }} as city_normalized,
        postal_code,
        {{ cdp.normalize_postal_code('postal_code', compact='postal_code_compact') }}
            as postal_code_normalized,
        country,
        {{ cdp.normalize_country('country') }} as country_code,
        order_status,
        currency,
        total_amount,
        discount_amount,
        shop_customer_id is null as is_guest_checkout,
        ordered_at,
        updated_at,
        _first_loaded_at,
        _loaded_at,
        _delivery_fingerprint,
        {{ cdp.run_started_at_timestamp() }} as _written_at
    from normalized
)

select * from final
