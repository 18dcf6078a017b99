{#
    Every raw contact delivery, renamed, typed and checked (`_invalid_reason`), one row
    per raw row. Ranking the deliveries of a record is left to the next model, so the
    incremental staging model can read only what landed since its last run.
#}
with source as (
    select * from {{ source('crm', 'crm_contacts') }}
),

renamed as (
    select
        {{ cdp.clean_text('contact_id') }} as crm_contact_id,
        {{ cdp.clean_text('account_id') }} as crm_account_id,
        {{ cdp.clean_text('first_name') }} as first_name,
        {{ cdp.clean_text('last_name') }} as last_name,
        {{ cdp.clean_text('email') }} as email,
        {{ cdp.clean_text('phone') }} as phone,
        {{ cdp.clean_text('street_address') }} as street_address,
        {{ cdp.clean_text('city') }} as city,
        {{ cdp.clean_text('postal_code') }} as postal_code,
        {{ cdp.clean_text('state') }} as state,
        {{ cdp.clean_text('country') }} as country,
        {{ cdp.clean_text('date_of_birth') }} as date_of_birth_raw,
        lower({{ cdp.clean_text('lead_status') }}) as lead_status,
        {{ cdp.to_timestamp('created_at') }} as created_at,
        {{ cdp.to_timestamp('updated_at') }} as updated_at,
        {{ cdp.to_timestamp('_loaded_at') }} as _loaded_at,
        -- the content's hash, the last tie-break between deliveries (cdp.delivery_order)
        {{ cdp.delivery_fingerprint(source('crm', 'crm_contacts')) }} as _delivery_fingerprint
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
