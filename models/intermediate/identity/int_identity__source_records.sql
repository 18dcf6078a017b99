{#
    The source lookup, first half: one row per customer-bearing source record, with the
    profile attributes used for probabilistic matching and golden records. Anonymous
    devices count as records of `tracking_events` keyed by anonymous_id.

    `record_sources` below is the mapping: for each staging model, which of its columns
    feeds each lookup column (missing ones are null). Add a source by adding an entry
    and its name to cdp.identity_record_sources().

    Incremental: a record is a function of its own staging row (a device: of its events),
    so a run rebuilds only the records whose staging row landed since the last run
    (`last_loaded_at`, a device's latest event) and replaces them by record_id. The
    pre-hook deletes the records of devices left without events
    (int_identity__removed_records); a device that has events again is built again.

    record_id (cdp.record_id: a stable integer from source and source_record_id) is how the
    identity models name a record; source and source_record_id say which one it is.
#}
{{
    config(
        materialized='incremental',
        incremental_strategy=cdp.upsert_strategy(),
        unique_key='record_id',
        on_schema_change='fail',
        pre_hook="{{ cdp.delete_records_that_left_identity() }}"
    )
}}
-- depends_on: {{ ref('int_tracking_events__sessionized') }}
-- depends_on: {{ ref('int_identity__removed_records') }}
{%- set lookup_columns = [
    'source_record_id', 'first_loaded_at', 'last_loaded_at', 'record_at', 'first_name', 'last_name',
    'first_name_normalized', 'last_name_normalized', 'name_suffix', 'date_of_birth', 'street_address',
    'street_address_normalized', 'city', 'city_normalized', 'postal_code_normalized',
    'country_code',
] -%}
{%- set record_sources = [
    {'source': 'crm_contacts', 'cte': 'crm_contacts', 'source_record_id': 'crm_contact_id',
     'first_loaded_at': '_first_loaded_at', 'last_loaded_at': '_loaded_at', 'record_at': 'created_at',
     'first_name': 'first_name', 'last_name': 'last_name',
     'first_name_normalized': 'first_name_normalized', 'last_name_normalized': 'last_name_normalized',
     'name_suffix': 'name_suffix', 'date_of_birth': 'date_of_birth', 'street_address': 'street_address',
     'street_address_normalized': 'street_address_normalized', 'city': 'city',
     'city_normalized': 'city_normalized', 'postal_code_normalized': 'postal_code_normalized',
     'country_code': 'country_code'},
    {'source': 'shop_customers', 'cte': 'shop_customers', 'source_record_id': 'shop_customer_id',
     'first_loaded_at': '_first_loaded_at', 'last_loaded_at': '_loaded_at', 'record_at': 'created_at',
     'first_name': 'first_name', 'last_name': 'last_name',
     'first_name_normalized': 'first_name_normalized', 'last_name_normalized': 'last_name_normalized',
     'name_suffix': 'name_suffix'},
    {'source': 'shop_orders', 'cte': 'shop_orders', 'source_record_id': 'order_id',
     'first_loaded_at': '_first_loaded_at', 'last_loaded_at': '_loaded_at', 'record_at': 'ordered_at',
     'street_address': 'street_address', 'street_address_normalized': 'street_address_normalized',
     'city': 'city', 'city_normalized': 'city_normalized',
     'postal_code_normalized': 'postal_code_normalized', 'country_code': 'country_code'},
    {'source': 'pos_transactions', 'cte': 'pos_transactions', 'source_record_id': 'pos_transaction_id',
     'first_loaded_at': '_first_loaded_at', 'last_loaded_at': '_loaded_at', 'record_at': 'transacted_at'},
    {'source': 'loyalty_members', 'cte': 'loyalty_members', 'source_record_id': 'loyalty_card_id',
     'first_loaded_at': '_first_loaded_at', 'last_loaded_at': '_loaded_at', 'record_at': 'enrolled_at',
     'first_name': 'first_name', 'last_name': 'last_name',
     'first_name_normalized': 'first_name_normalized', 'last_name_normalized': 'last_name_normalized',
     'name_suffix': 'name_suffix', 'date_of_birth': 'date_of_birth',
     'postal_code_normalized': 'postal_code_normalized'},
    {'source': 'support_tickets', 'cte': 'support_tickets', 'source_record_id': 'support_ticket_id',
     'first_loaded_at': '_first_loaded_at', 'last_loaded_at': '_loaded_at', 'record_at': 'created_at',
     'first_name_normalized': 'requester_first_name_normalized',
     'last_name_normalized': 'requester_last_name_normalized', 'name_suffix': 'requester_name_suffix'},
    {'source': 'email_activity', 'cte': 'email_activity', 'source_record_id': 'email_activity_id',
     'first_loaded_at': '_first_loaded_at', 'last_loaded_at': '_loaded_at', 'record_at': 'occurred_at'},
    {'source': 'consent_events', 'cte': 'consent_events', 'source_record_id': 'consent_event_id',
     'first_loaded_at': '_first_loaded_at', 'last_loaded_at': '_loaded_at', 'record_at': 'occurred_at'},
    {'source': 'privacy_requests', 'cte': 'privacy_requests', 'source_record_id': 'privacy_request_id',
     'first_loaded_at': '_first_loaded_at', 'last_loaded_at': '_loaded_at', 'record_at': 'received_at'},
    {'source': 'tracking_events', 'cte': 'anonymous_devices', 'source_record_id': 'anonymous_id',
     'first_loaded_at': 'first_loaded_at', 'last_loaded_at': 'last_loaded_at',
     'record_at': 'first_seen_at',
     'first_name': 'first_name', 'last_name': 'last_name',
     'first_name_normalized': 'first_name_normalized', 'last_name_normalized': 'last_name_normalized',
     'name_suffix': 'name_suffix'},
] -%}
{%- if record_sources | map(attribute='source') | sort | list != cdp.identity_record_sources() %}
    {{ exceptions.raise_compiler_error(
        'int_identity__source_records maps the sources ' ~ (record_sources | map(attribute='source') | sort | list)
        ~ ' but cdp.identity_record_sources() lists ' ~ cdp.identity_record_sources()
        ~ ': keep the two in step (macros/identity/record_sources.sql)') }}
{%- endif %}

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
    {{ cdp.events_of_devices_seen_since_last_run('last_loaded_at') }}
),

anonymous_devices as (
    select
        anonymous_id,
        min(occurred_at) as first_seen_at,
        min(_first_loaded_at) as first_loaded_at,
        max(_loaded_at) as last_loaded_at,
        max(traits_first_name) as first_name,
        max(traits_last_name) as last_name,
        {{ cdp.normalize_person_name('max(traits_first_name)') }} as first_name_normalized,
        {{ cdp.normalize_person_name('max(traits_last_name)') }} as last_name_normalized,
        {{ cdp.name_suffix_of('max(traits_last_name)') }} as name_suffix
    from tracking_events
    group by anonymous_id
),

unioned as (
    {%- for record_source in record_sources %}
        select
            '{{ record_source.source }}' as source,
            {%- for column in lookup_columns %}
                {{ record_source.get(column, 'null') }} as {{ column }}{% if not loop.last %},{% endif %}
            {%- endfor %}
        from {{ record_source.cte }}
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

final as (
    select
        {{ cdp.record_id('source', 'source_record_id') }} as record_id,
        source,
        {%- for column in lookup_columns %}
            {{ column }},
        {%- endfor %}
        {{ cdp.run_started_at_timestamp() }} as written_at
    from unioned
)

select * from final
