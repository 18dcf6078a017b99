{#
    The source lookup, first half: one row per customer-bearing source record, with the
    profile attributes used for probabilistic matching and golden records. Anonymous
    devices count as records of `tracking_events` keyed by anonymous_id.
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

anonymous_devices as (
    select
        anonymous_id,
        min(occurred_at) as first_seen_at,
        min(_first_loaded_at) as first_loaded_at,
        max(traits_first_name) as first_name,
        max(traits_last_name) as last_name
    from tracking_events
    where anonymous_id is not null
    group by anonymous_id
),

unioned as (
    select
        'crm_contacts' as source,
        crm_contact_id as source_record_id,
        _first_loaded_at as first_loaded_at,
        created_at as record_at,
        first_name,
        last_name,
        first_name_normalized,
        last_name_normalized,
        date_of_birth,
        street_address,
        street_address_normalized,
        city,
        city_normalized,
        postal_code_normalized,
        country_code
    from crm_contacts

    union all

    select
        'shop_customers', shop_customer_id, _first_loaded_at, created_at,
        first_name, last_name, first_name_normalized, last_name_normalized,
        null, null, null, null, null, null, null
    from shop_customers

    union all

    select
        'shop_orders', order_id, _first_loaded_at, ordered_at,
        null, null, null, null,
        null, street_address, street_address_normalized, city, city_normalized,
        postal_code_normalized, country_code
    from shop_orders

    union all

    select
        'pos_transactions', pos_transaction_id, _first_loaded_at, transacted_at,
        null, null, null, null, null, null, null, null, null, null, null
    from pos_transactions

    union all

    select
        'loyalty_members', loyalty_card_id, _first_loaded_at, enrolled_at,
        first_name, last_name, first_name_normalized, last_name_normalized,
        date_of_birth, null, null, null, null, postal_code_normalized, null
    from loyalty_members

    union all

    select
        'support_tickets', support_ticket_id, _first_loaded_at, created_at,
        null, null, requester_first_name_normalized, requester_last_name_normalized,
        null, null, null, null, null, null, null
    from support_tickets

    union all

    select
        'email_activity', email_activity_id, _first_loaded_at, occurred_at,
        null, null, null, null, null, null, null, null, null, null, null
    from email_activity

    union all

    select
        'consent_events', consent_event_id, _first_loaded_at, occurred_at,
        null, null, null, null, null, null, null, null, null, null, null
    from consent_events

    union all

    select
        'privacy_requests', privacy_request_id, _first_loaded_at, received_at,
        null, null, null, null, null, null, null, null, null, null, null
    from privacy_requests

    union all

    select
        'tracking_events', anonymous_id, first_loaded_at, first_seen_at,
        first_name, last_name,
        {{ cdp.normalize_name('first_name') }}, {{ cdp.normalize_name('last_name') }},
        null, null, null, null, null, null, null
    from anonymous_devices
),

final as (
    select
        {{ dbt.concat(['source', "':'", 'source_record_id']) }} as record_key,
        source,
        source_record_id,
        first_loaded_at,
        record_at,
        first_name,
        last_name,
        first_name_normalized,
        last_name_normalized,
        date_of_birth,
        street_address,
        street_address_normalized,
        city,
        city_normalized,
        postal_code_normalized,
        country_code
    from unioned
)

select * from final
