{#
    One row per loyalty card, its member's latest details. Incremental: the records with
    a delivery that landed since the last run, their winner chosen against the stored
    one (cdp.latest_valid_deliveries_since_last_run).
#}
{{
    config(
        materialized='incremental',
        incremental_strategy=cdp.upsert_strategy(),
        unique_key='loyalty_card_id',
        on_schema_change='fail'
    )
}}
-- depends_on: {{ ref('base_loyalty__member_deliveries') }}
with members as (
    {% if is_incremental() %}
        {{ cdp.latest_valid_deliveries_since_last_run(
            ref('base_loyalty__member_deliveries'), 'loyalty_card_id', [
            'loyalty_card_id',
            'email',
            'phone',
            'first_name',
            'last_name',
            'postal_code',
            'date_of_birth_raw',
            'enrolled_at',
            'updated_at'
            ], updated_at='updated_at') }}
    {% else %}
        select * from {{ ref('base_loyalty__members') }}
        where rejection_reason is null
    {% endif %}
),

match_key_inputs as (
    select
        *,
        -- read several times by the rules below; computed once (see cdp.normalize_phone)
        {{ cdp.phone_digits('phone') }} as phone_digits,
        {{ cdp.postal_code_compact('postal_code') }} as postal_code_compact
    from members
),

normalized as (
    select
        *,
        {{ cdp.normalize_email('email') }} as email_normalized,
        {{ cdp.normalize_phone('phone', digits='phone_digits') }} as phone_e164,
        {{ cdp.normalize_postal_code('postal_code', compact='postal_code_compact') }}
            as postal_code_normalized
    from match_key_inputs
),

parsed as (
    select
        *,
        -- no country on the form: a postcode with letters is a UK one, written day first
        {{ cdp.parse_date_of_birth(
            'date_of_birth_raw',
            cdp.regex_full_match('postal_code_normalized', '.*[A-Z].*')
        ) }} as date_of_birth
    from normalized
),

final as (
    select
        loyalty_card_id,
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
        postal_code,
        postal_code_normalized,
        date_of_birth_raw,
        date_of_birth,
        {{ cdp.date_of_birth_invalid_reason('date_of_birth_raw', 'date_of_birth') }}
            as date_of_birth_invalid_reason,
        enrolled_at,
        updated_at,
        _first_loaded_at,
        _loaded_at,
        _delivery_fingerprint,
        {{ cdp.run_started_at_timestamp() }} as _written_at
    from parsed
)

select * from final
