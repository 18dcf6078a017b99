{#
    Over-merge alarm: customers whose records come from more profile records (accounts,
    contacts, members) than one person plausibly has. A junk identifier that slipped past
    the blocklist and the caps shows up here first. Warns from one such customer, fails
    from var cdp_identity_giant_customer_error_count of them.
#}
{{ config(
    severity='error',
    warn_if='>0',
    error_if='>' ~ var('cdp_identity_giant_customer_error_count'),
) }}

with record_customers as (
    select * from {{ ref('int_identity__record_customers') }}
),

profile_records as (
    select
        customer_id,
        count(*) as profile_record_count
    from record_customers
    where source in ('shop_customers', 'crm_contacts', 'loyalty_members')
    group by customer_id
)

select *
from profile_records
where profile_record_count > {{ var('cdp_identity_giant_customer_profile_records') }}
