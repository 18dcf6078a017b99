{#
    One row per shop customer account, its latest version. Incremental: the records with
    a delivery that landed since the last run, their winner chosen against the stored
    one (cdp.latest_valid_deliveries_since_last_run).
#}
{{
    config(
        materialized='incremental',
        incremental_strategy=cdp.upsert_strategy(),
        unique_key='shop_customer_id',
        on_schema_change='fail'
    )
}}
-- depends_on: {{ ref('base_shop__customer_deliveries') }}
with customers as (
    {% if is_incremental() %}
        {{ cdp.latest_valid_deliveries_since_last_run(
            ref('base_shop__customer_deliveries'), 'shop_customer_id', [
            'shop_customer_id',
            'email',
            'phone',
            'first_name',
            'last_name',
            'accepts_marketing',
            'created_at',
            'updated_at'
            ], updated_at='updated_at') }}
    {% else %}
        select * from {{ ref('base_shop__customers') }}
        where rejection_reason is null
    {% endif %}
),

match_key_inputs as (
    select
        *,
        -- read several times by the rules below; computed once (see cdp.normalize_phone)
        {{ cdp.phone_digits('phone') }} as phone_digits
    from customers
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
        shop_customer_id,
        email,
        email_normalized,
        {{ cdp.email_invalid_reason('email_normalized') }} as email_invalid_reason,
        phone,
        phone_e164,
        {{ cdp.phone_invalid_reason('phone', 'phone_e164', digits='phone_digits') }} as phone_invalid_reason,
        first_name,
        last_name,
        {{ cdp.normalize_person_name('first_name') }} as first_name_normalized,
        {{ cdp.normalize_person_name('last_name') }} as last_name_normalized,
        {{ cdp.name_suffix_of('last_name') }} as name_suffix,
        accepts_marketing,
        created_at,
        updated_at,
        _first_loaded_at,
        _loaded_at,
        _delivery_fingerprint,
        {{ cdp.run_started_at_timestamp() }} as _written_at
    from normalized
)

select * from final
