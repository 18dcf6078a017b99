{#
    One row per CRM contact, its latest version. Incremental: the records with a
    delivery that landed since the last run, their winner chosen against the stored one
    (cdp.latest_valid_deliveries_since_last_run).
#}
{{
    config(
        materialized='incremental',
        incremental_strategy=cdp.upsert_strategy(),
        unique_key='crm_contact_id',
        on_schema_change='fail'
    )
}}
-- depends_on: {{ ref('base_crm__contact_deliveries') }}
with contacts as (
    {% if is_incremental() %}
        {{ cdp.latest_valid_deliveries_since_last_run(
            ref('base_crm__contact_deliveries'), 'crm_contact_id', [
            'crm_contact_id',
            'crm_account_id',
            'first_name',
            'last_name',
            'email',
            'phone',
            'street_address',
            'city',
            'postal_code',
            'state',
            'country',
            'date_of_birth_raw',
            'lead_status',
            'created_at',
            'updated_at'
            ], updated_at='updated_at') }}
    {% else %}
        select * from {{ ref('base_crm__contacts') }}
        where rejection_reason is null
    {% endif %}
),

match_key_inputs as (
    select
        *,
        -- read several times by the rules below; computed once (see cdp.normalize_phone)
        {{ cdp.phone_digits('phone') }} as phone_digits,
        {{ cdp.postal_code_compact('postal_code') }} as postal_code_compact
    from contacts
),

normalized as (
    select
        *,
        {{ cdp.normalize_email('email') }} as email_normalized,
        {{ cdp.normalize_phone('phone', digits='phone_digits') }} as phone_e164,
        {{ cdp.normalize_country('country') }} as country_code
    from match_key_inputs
),

parsed as (
    select
        *,
        {{ cdp.parse_date_of_birth('date_of_birth_raw', "coalesce(country_code, '') <> 'US'") }}
            as date_of_birth
    from normalized
),

final as (
    select
        crm_contact_id,
        crm_account_id,
        first_name,
        last_name,
        {{ cdp.normalize_person_name('first_name') }} as first_name_normalized,
        {{ cdp.normalize_person_name('last_name') }} as last_name_normalized,
        {{ cdp.name_suffix_of('last_name') }} as name_suffix,
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
        state,
        country,
        country_code,
        date_of_birth_raw,
        date_of_birth,
        {{ cdp.date_of_birth_invalid_reason('date_of_birth_raw', 'date_of_birth') }}
            as date_of_birth_invalid_reason,
        lead_status,
        crm_account_id is not null as is_b2b_contact,
        created_at,
        updated_at,
        _first_loaded_at,
        _loaded_at,
        _delivery_fingerprint,
        {{ cdp.run_started_at_timestamp() }} as _written_at
    from parsed
)

select * from final
