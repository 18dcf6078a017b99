{#
    Every raw loyalty member delivery, renamed, typed and checked (`_invalid_reason`), one row
    per raw row. Ranking the deliveries of a record is left to the next model, so the
    incremental staging model can read only what landed since its last run.
#}
with source as (
    select * from {{ source('loyalty', 'loyalty_members') }}
),

renamed as (
    select
        {{ cdp.clean_text('loyalty_card_id') }} as loyalty_card_id,
        {{ cdp.clean_text('email') }} as email,
        {{ cdp.clean_text('phone') }} as phone,
        {{ cdp.clean_text('first_name') }} as first_name,
        {{ cdp.clean_text('last_name') }} as last_name,
        {{ cdp.clean_text('postal_code') }} as postal_code,
        {{ cdp.clean_text('date_of_birth') }} as date_of_birth_raw,
        {{ cdp.to_timestamp('enrolled_at') }} as enrolled_at,
        {{ cdp.to_timestamp('updated_at') }} as updated_at,
        {{ cdp.to_timestamp('_loaded_at') }} as _loaded_at,
        -- the content's hash, the last tie-break between deliveries (cdp.delivery_order)
        {{ cdp.delivery_fingerprint(source('loyalty', 'loyalty_members')) }} as _delivery_fingerprint
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
