{#
    The source lookup, second half: every identifier a source record carries, one row per
    (record, identifier), as a match key. Only valid values appear here (invalid ones are
    flagged in staging). Whether a value may link records is decided in
    int_identity__identifier_assessment.
#}
with crm_contacts as (
    select * from {{ ref('stg_crm__contacts') }}
),

shop_customers as (
    select * from {{ ref('stg_shop__customers') }}
),

shop_orders as (
    select * from {{ ref('stg_shop__orders') }}
),

pos_transactions as (
    select * from {{ ref('stg_pos__transactions') }}
),

loyalty_members as (
    select * from {{ ref('stg_loyalty__members') }}
),

support_tickets as (
    select * from {{ ref('stg_support__tickets') }}
),

email_activity as (
    select * from {{ ref('stg_email__activity') }}
),

consent_events as (
    select * from {{ ref('stg_privacy__consent_events') }}
),

privacy_requests as (
    select * from {{ ref('stg_privacy__requests') }}
),

tracking_events as (
    select * from {{ ref('stg_tracking__events') }}
),

email_domain_typos as (
    select * from {{ ref('email_domain_typos') }}
),

emails as (
    select 'crm_contacts' as source, crm_contact_id as source_record_id, email_normalized as email
    from crm_contacts where email_invalid_reason is null
    union all
    select 'shop_customers', shop_customer_id, email_normalized
    from shop_customers where email_invalid_reason is null
    union all
    select 'shop_orders', order_id, email_normalized
    from shop_orders where email_invalid_reason is null
    union all
    select 'loyalty_members', loyalty_card_id, email_normalized
    from loyalty_members where email_invalid_reason is null
    union all
    select 'support_tickets', support_ticket_id, requester_email_normalized
    from support_tickets where requester_email_invalid_reason is null
    union all
    select 'email_activity', email_activity_id, email_normalized
    from email_activity where email_invalid_reason is null
    union all
    select 'consent_events', consent_event_id, identifier_normalized
    from consent_events where identifier_type = 'email'
    union all
    select 'privacy_requests', privacy_request_id, identifier_normalized
    from privacy_requests where identifier_type = 'email'
    union all
    select distinct 'tracking_events', anonymous_id, traits_email_normalized
    from tracking_events where anonymous_id is not null
),

emails_split as (
    select
        source,
        source_record_id,
        split_part(email, '@', 1) as local_part,
        split_part(email, '@', 2) as domain
    from emails
    where email like '%_@_%._%'
),

email_keys as (
    select
        emails_split.source,
        emails_split.source_record_id,
        coalesce(email_domain_typos.domain, emails_split.domain) as domain,
        -- plus tags are aliases everywhere; dots only matter outside gmail
        case
            when coalesce(email_domain_typos.domain, emails_split.domain) = 'gmail.com'
                then replace(split_part(emails_split.local_part, '+', 1), '.', '')
            else split_part(emails_split.local_part, '+', 1)
        end as local_part
    from emails_split
    left join email_domain_typos on emails_split.domain = email_domain_typos.typo_domain
),

phones as (
    select 'crm_contacts' as source, crm_contact_id as source_record_id, phone_e164 as phone
    from crm_contacts where phone_invalid_reason is null
    union all
    select 'shop_customers', shop_customer_id, phone_e164
    from shop_customers where phone_invalid_reason is null
    union all
    select 'shop_orders', order_id, phone_e164
    from shop_orders where phone_invalid_reason is null
    union all
    select 'loyalty_members', loyalty_card_id, phone_e164
    from loyalty_members where phone_invalid_reason is null
    union all
    select 'support_tickets', support_ticket_id, requester_phone_e164
    from support_tickets where requester_phone_invalid_reason is null
    union all
    select 'consent_events', consent_event_id, identifier_normalized
    from consent_events where identifier_type = 'phone' and length(identifier_normalized) >= 9
    union all
    select distinct 'tracking_events', anonymous_id, traits_phone_e164
    from tracking_events where anonymous_id is not null and length(traits_phone_e164) >= 9
),

identifiers as (
    select source, source_record_id, 'email' as identifier_type,
           {{ dbt.concat(['local_part', "'@'", 'domain']) }} as identifier_value
    from email_keys
    union all
    select source, source_record_id, 'phone', phone
    from phones
    union all
    select 'shop_customers', shop_customer_id, 'shop_customer_id', shop_customer_id
    from shop_customers
    union all
    select 'shop_orders', order_id, 'shop_customer_id', shop_customer_id
    from shop_orders where shop_customer_id is not null
    union all
    select distinct 'tracking_events', anonymous_id, 'shop_customer_id', user_id
    from tracking_events where anonymous_id is not null and user_id is not null
    union all
    select 'loyalty_members', loyalty_card_id, 'loyalty_card_id', loyalty_card_id
    from loyalty_members
    union all
    select 'pos_transactions', pos_transaction_id, 'loyalty_card_id', loyalty_card_id
    from pos_transactions where loyalty_card_id is not null
    union all
    select 'pos_transactions', pos_transaction_id, 'card_fingerprint', card_fingerprint
    from pos_transactions where card_fingerprint is not null
    union all
    select distinct 'tracking_events', anonymous_id, 'device_id', lower(device_id)
    from tracking_events where anonymous_id is not null and device_id is not null
    union all
    select distinct 'tracking_events', anonymous_id, 'anonymous_id', anonymous_id
    from tracking_events where anonymous_id is not null
),

final as (
    -- each branch above yields a (record, type, value) at most once
    select
        {{ dbt.concat(['source', "':'", 'source_record_id']) }} as record_key,
        source,
        source_record_id,
        identifier_type,
        identifier_value
    from identifiers
    where identifier_value is not null
)

select * from final
