{#
    The source lookup, second half: every identifier a source record carries, one row per
    (record, identifier), as a match key. Only valid values appear here (invalid ones are
    flagged in staging); an email with a doubled or missing @ is repaired first (below).
    Whether a value may link records is decided in
    int_identity__identifier_assessment. Records and values are named by stable integers
    (record_id, value_id: cdp.hash_id), which the graph joins on; the value itself stays
    for the lookup and the match profiles.

    Incremental like int_identity__source_records: a run recomputes the identifiers of the
    records whose staging row landed since the last run and replaces all rows of those
    records. Every rebuilt record also gets a placeholder row (null type), so that a record
    left with no valid identifier has its old rows replaced too; the post-hook deletes the
    placeholders. The pre-hook deletes the rows of records that left identity
    (int_identity__removed_records).
#}
{{
    config(
        materialized='incremental',
        incremental_strategy=cdp.upsert_strategy(),
        unique_key='record_id',
        on_schema_change='fail',
        pre_hook="{{ cdp.delete_records_that_left_identity() }}",
        post_hook="{% if is_incremental() %}delete from {{ this }} where identifier_type is null{% endif %}"
    )
}}
-- depends_on: {{ ref('int_identity__removed_records') }}
-- depends_on: {{ ref('int_tracking_events__sessionized') }}
-- depends_on: {{ ref('int_identity__source_records') }}
with crm_contacts as (
    {{ cdp.landed_since_last_run(ref('stg_crm__contacts'), 'last_loaded_at', 'crm_contacts') }}
),

shop_customers as (
    {{ cdp.landed_since_last_run(ref('stg_shop__customers'), 'last_loaded_at', 'shop_customers') }}
),

shop_orders as (
    {{ cdp.landed_since_last_run(ref('stg_shop__orders'), 'last_loaded_at', 'shop_orders') }}
),

pos_transactions as (
    {{ cdp.landed_since_last_run(ref('stg_pos__transactions'), 'last_loaded_at', 'pos_transactions') }}
),

loyalty_members as (
    {{ cdp.landed_since_last_run(ref('stg_loyalty__members'), 'last_loaded_at', 'loyalty_members') }}
),

support_tickets as (
    {{ cdp.landed_since_last_run(ref('stg_support__tickets'), 'last_loaded_at', 'support_tickets') }}
),

email_activity as (
    {{ cdp.landed_since_last_run(ref('stg_email__activity'), 'last_loaded_at', 'email_activity') }}
),

consent_events as (
    {{ cdp.landed_since_last_run(ref('stg_privacy__consent_events'), 'last_loaded_at', 'consent_events') }}
),

privacy_requests as (
    {{ cdp.landed_since_last_run(ref('stg_privacy__requests'), 'last_loaded_at', 'privacy_requests') }}
),

tracking_events as (
    -- the event table collapses to the distinct combinations each device showed (about
    -- one row per device) before the identifier branches below read it
    select
        anonymous_id,
        user_id,
        traits_email_normalized,
        traits_email_invalid_reason,
        traits_phone_e164,
        traits_phone_invalid_reason,
        device_id,
        max(max(_loaded_at)) over (partition by anonymous_id) as _loaded_at
    from ({{ cdp.events_of_devices_seen_since_last_run('last_loaded_at') }}) as device_events
    group by
        anonymous_id, user_id, traits_email_normalized, traits_email_invalid_reason,
        traits_phone_e164, traits_phone_invalid_reason, device_id
),

email_domain_typos as (
    select * from {{ ref('email_domain_typos') }}
),

emails as (
    select
        'crm_contacts' as source,
        crm_contact_id as source_record_id,
        _loaded_at,
        email_normalized as email,
        email_invalid_reason is null as is_valid_as_staged
    from crm_contacts
    where email_normalized is not null
    union all
    select
        'shop_customers' as source,
        shop_customer_id as source_record_id,
        _loaded_at,
        email_normalized as email,
        email_invalid_reason is null as is_valid_as_staged
    from shop_customers
    where email_normalized is not null
    union all
    select
        'shop_orders' as source,
        order_id as source_record_id,
        _loaded_at,
        email_normalized as email,
        email_invalid_reason is null as is_valid_as_staged
    from shop_orders
    where email_normalized is not null
    union all
    select
        'loyalty_members' as source,
        loyalty_card_id as source_record_id,
        _loaded_at,
        email_normalized as email,
        email_invalid_reason is null as is_valid_as_staged
    from loyalty_members
    where email_normalized is not null
    union all
    select
        'support_tickets' as source,
        support_ticket_id as source_record_id,
        _loaded_at,
        requester_email_normalized as email,
        requester_email_invalid_reason is null as is_valid_as_staged
    from support_tickets
    where requester_email_normalized is not null
    union all
    select
        'email_activity' as source,
        email_activity_id as source_record_id,
        _loaded_at,
        email_normalized as email,
        email_invalid_reason is null as is_valid_as_staged
    from email_activity
    where email_normalized is not null
    union all
    select
        'consent_events' as source,
        consent_event_id as source_record_id,
        _loaded_at,
        identifier_normalized as email,
        identifier_invalid_reason is null as is_valid_as_staged
    from consent_events
    where identifier_type = 'email' and identifier_normalized is not null
    union all
    select
        'privacy_requests' as source,
        privacy_request_id as source_record_id,
        _loaded_at,
        identifier_normalized as email,
        identifier_invalid_reason is null as is_valid_as_staged
    from privacy_requests
    where identifier_type = 'email' and identifier_normalized is not null
    union all
    select distinct
        'tracking_events' as source,
        anonymous_id as source_record_id,
        _loaded_at,
        traits_email_normalized as email,
        traits_email_invalid_reason is null as is_valid_as_staged
    from tracking_events
    where anonymous_id is not null and traits_email_normalized is not null
),

-- Two typing slips are repaired before an email is judged: a doubled @ (jane@@gmail.com)
-- and a missing @ before a known mailbox domain, spelled right or with a known typo
-- (janegmail.com, janegmial.com). Staging still flags them as delivered.
mailbox_domains as (
    select domain as spelled_domain from email_domain_typos
    union
    select typo_domain as spelled_domain from email_domain_typos
),

emails_missing_at as (
    select
        emails.source,
        emails.source_record_id,
        emails._loaded_at,
        {{ dbt.concat([
            'substring(emails.email, 1, length(emails.email) - length(mailbox_domains.spelled_domain))',
            "'@'", 'mailbox_domains.spelled_domain']) }} as email,
        -- the longest domain the address ends with
        row_number() over (
            partition by emails.source, emails.source_record_id, emails.email
            order by length(mailbox_domains.spelled_domain) desc
        ) as domain_rank
    from emails
    inner join mailbox_domains
        on emails.email like {{ dbt.concat(["'%_'", 'mailbox_domains.spelled_domain']) }}
    where not emails.is_valid_as_staged and emails.email not like '%@%'
),

emails_repaired as (
    select
        source,
        source_record_id,
        _loaded_at,
        is_valid_as_staged,
        case when is_valid_as_staged then email else replace(email, '@@', '@') end as email
    from emails
    where is_valid_as_staged or email like '%@%'
    union all
    select
        source,
        source_record_id,
        _loaded_at,
        false as is_valid_as_staged,
        email
    from emails_missing_at
    where domain_rank = 1
),

-- an email staging flagged (cdp.email_invalid_reason) is a key only if its repair meets
-- the same rule, so an identify call's jane@@ never becomes the key jane@
emails_split as (
    select
        source,
        source_record_id,
        _loaded_at,
        split_part(email, '@', 1) as local_part,
        split_part(email, '@', 2) as domain
    from emails_repaired
    where is_valid_as_staged or {{ cdp.email_invalid_reason('email') }} is null
),

email_keys as (
    select
        emails_split.source,
        emails_split.source_record_id,
        emails_split._loaded_at,
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
    select
        'crm_contacts' as source,
        crm_contact_id as source_record_id,
        _loaded_at,
        phone_e164 as phone
    from crm_contacts
    where phone_invalid_reason is null
    union all
    select
        'shop_customers' as source,
        shop_customer_id as source_record_id,
        _loaded_at,
        phone_e164 as phone
    from shop_customers
    where phone_invalid_reason is null
    union all
    select
        'shop_orders' as source,
        order_id as source_record_id,
        _loaded_at,
        phone_e164 as phone
    from shop_orders
    where phone_invalid_reason is null
    union all
    select
        'loyalty_members' as source,
        loyalty_card_id as source_record_id,
        _loaded_at,
        phone_e164 as phone
    from loyalty_members
    where phone_invalid_reason is null
    union all
    select
        'support_tickets' as source,
        support_ticket_id as source_record_id,
        _loaded_at,
        requester_phone_e164 as phone
    from support_tickets
    where requester_phone_invalid_reason is null
    union all
    select
        'consent_events' as source,
        consent_event_id as source_record_id,
        _loaded_at,
        identifier_normalized as phone
    from consent_events
    where identifier_type = 'phone' and identifier_invalid_reason is null
        and identifier_normalized is not null
    union all
    select distinct
        'tracking_events' as source,
        anonymous_id as source_record_id,
        _loaded_at,
        traits_phone_e164 as phone
    from tracking_events
    where anonymous_id is not null and traits_phone_invalid_reason is null
        and traits_phone_e164 is not null
),

identifiers as (
    select
        source,
        source_record_id,
        _loaded_at,
        'email' as identifier_type,
        {{ dbt.concat(['local_part', "'@'", 'domain']) }} as identifier_value
    from email_keys
    union all
    select
        source,
        source_record_id,
        _loaded_at,
        'phone' as identifier_type,
        phone as identifier_value
    from phones
    union all
    select
        'shop_customers' as source,
        shop_customer_id as source_record_id,
        _loaded_at,
        'shop_customer_id' as identifier_type,
        shop_customer_id as identifier_value
    from shop_customers
    union all
    select
        'shop_orders' as source,
        order_id as source_record_id,
        _loaded_at,
        'shop_customer_id' as identifier_type,
        shop_customer_id as identifier_value
    from shop_orders
    where shop_customer_id is not null
    union all
    select distinct
        'tracking_events' as source,
        anonymous_id as source_record_id,
        _loaded_at,
        'shop_customer_id' as identifier_type,
        user_id as identifier_value
    from tracking_events
    where anonymous_id is not null and user_id is not null
    union all
    select
        'loyalty_members' as source,
        loyalty_card_id as source_record_id,
        _loaded_at,
        'loyalty_card_id' as identifier_type,
        loyalty_card_id as identifier_value
    from loyalty_members
    union all
    select
        'pos_transactions' as source,
        pos_transaction_id as source_record_id,
        _loaded_at,
        'loyalty_card_id' as identifier_type,
        loyalty_card_id as identifier_value
    from pos_transactions
    where loyalty_card_id is not null
    union all
    select
        'pos_transactions' as source,
        pos_transaction_id as source_record_id,
        _loaded_at,
        'card_fingerprint' as identifier_type,
        card_fingerprint as identifier_value
    from pos_transactions
    where card_fingerprint is not null
    union all
    select distinct
        'tracking_events' as source,
        anonymous_id as source_record_id,
        _loaded_at,
        'device_id' as identifier_type,
        lower(device_id) as identifier_value
    from tracking_events
    where anonymous_id is not null and device_id is not null
    union all
    select distinct
        'tracking_events' as source,
        anonymous_id as source_record_id,
        _loaded_at,
        'anonymous_id' as identifier_type,
        anonymous_id as identifier_value
    from tracking_events
    where anonymous_id is not null
),

final as (
    -- each branch above yields a (record, type, value) at most once
    select
        {{ cdp.record_id('source', 'source_record_id') }} as record_id,
        source,
        identifier_type,
        identifier_value,
        {{ cdp.value_id('identifier_type', 'identifier_value') }} as value_id,
        _loaded_at as last_loaded_at
    from identifiers
    where identifier_value is not null
    {%- if is_incremental() %}

    union all

    -- placeholders, one per record rebuilt in this run (replace a record left without any)
    select
        record_id,
        source,
        null as identifier_type,
        null as identifier_value,
        null as value_id,
        last_loaded_at
    from {{ ref('int_identity__source_records') }} as source_records
    where source_records.last_loaded_at > {{ cdp.incremental_watermark(
        'last_loaded_at', 'source = source_records.source') }}
    {%- endif %}
)

select * from final
