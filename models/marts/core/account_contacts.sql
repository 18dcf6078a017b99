{#
    B2B relationships: every CRM contact that belongs to an account, with the customer
    the contact was stitched to.
#}
with contacts as (
    select * from {{ ref('stg_crm__contacts') }}
    where crm_account_id is not null
),

attributed_records as (
    select * from {{ ref('int_records__attributed') }}
    where source = 'crm_contacts'
),

final as (
    select
        contacts.crm_contact_id,
        contacts.crm_account_id,
        attributed_records.customer_id,
        contacts.lead_status,
        contacts.created_at,
        contacts.updated_at
    from contacts
    left join attributed_records on contacts.crm_contact_id = attributed_records.source_record_id
)

select * from final
