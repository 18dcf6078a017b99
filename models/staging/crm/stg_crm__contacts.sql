with contacts as (
    select * from {{ ref('base_crm__contacts') }}
    where rejection_reason is null
),

final as (
    select
        crm_contact_id,
        crm_account_id,
        first_name,
        last_name,
        email,
        phone,
        street_address,
        city,
        postal_code,
        state,
        country,
        date_of_birth_raw,
        lead_status,
        crm_account_id is not null as is_b2b_contact,
        created_at,
        updated_at,
        _loaded_at
    from contacts
)

select * from final
