{#
    Golden record: one row per customer, each attribute group taken from the record that
    the identity_source_precedence seed prefers (1 first), then the most recent. Invalid
    values never win: emails and phones come from usable match keys (valid, not junk, not
    shared by many people), dates of birth only when they parsed. Customers who asked to be
    erased get no golden record.

    Incremental: the pre-hook deletes the golden records of the customers changed in this
    run (cdp.identity_customers_changed_in_this_run) and the run recomputes those that still
    exist; every other customer keeps its row.
#}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook=[
            "{% if is_incremental() %}delete from {{ this }} where customer_id in"
            ~ " ({{ cdp.identity_customers_changed_in_this_run() }}){% endif %}"
        ]
    )
}}
-- depends_on: {{ ref('int_records__attributed') }}
-- depends_on: {{ ref('int_identity__removed_records') }}
with record_customers as (
    select * from {{ ref('int_identity__record_customers') }}
    {%- if is_incremental() %}
    where customer_id in ({{ cdp.identity_customers_changed_in_this_run() }})
    {%- endif %}
),

source_records as (
    select * from {{ ref('int_identity__source_records') }}
),

identifiers as (
    select * from {{ ref('int_identity__identifiers') }}
),

assessment as (
    select * from {{ ref('int_identity__identifier_assessment') }}
),

precedence as (
    select * from {{ ref('identity_source_precedence') }}
),

-- Inside this model a customer is named by its anchor record (anchor_record_id, an
-- integer, one per customer_id): partitions and joins on it cost far less than on the
-- customer_id text, which is attached at the end.

-- the records that carry a name, an address or a birth date, with only the columns the
-- candidates use (most records carry none: email activity, till sales, consent events)
profile_records as (
    select
        record_customers.anchor_record_id as customer_key,
        source_records.source,
        source_records.record_at,
        source_records.first_name,
        source_records.last_name,
        source_records.name_suffix,
        source_records.street_address,
        source_records.city,
        source_records.postal_code_normalized,
        source_records.country_code,
        source_records.date_of_birth
    from record_customers
    inner join source_records on record_customers.record_id = source_records.record_id
    where (source_records.first_name is not null and source_records.last_name is not null)
        or (source_records.street_address is not null and source_records.postal_code_normalized is not null)
        or source_records.date_of_birth is not null
),

usable_contacts as (
    select
        value_id,
        identifier_type,
        identifier_value
    from assessment
    where identifier_type in ('email', 'phone') and unusable_reason is null
),

-- one candidate per (customer, value, source), seen last at record_at: thousands of
-- email activities of one address compete as one
contact_candidates as (
    select
        record_customers.anchor_record_id as customer_key,
        identifiers.value_id,
        record_customers.source,
        max(record_customers.record_at) as record_at
    from record_customers
    inner join identifiers on record_customers.record_id = identifiers.record_id
    where identifiers.value_id in (select usable_contacts.value_id from usable_contacts)
    group by record_customers.anchor_record_id, identifiers.value_id, record_customers.source
),

candidates as (
    select
        customer_key,
        'name' as attribute,
        source,
        record_at,
        first_name as value_1,
        last_name as value_2,
        name_suffix as value_3,
        null as value_4
    from profile_records
    where first_name is not null and last_name is not null

    union all

    select
        customer_key,
        'address' as attribute,
        source,
        record_at,
        street_address as value_1,
        city as value_2,
        postal_code_normalized as value_3,
        country_code as value_4
    from profile_records
    where street_address is not null and postal_code_normalized is not null

    union all

    select
        customer_key,
        'date_of_birth' as attribute,
        source,
        record_at,
        {{ dbt.safe_cast('date_of_birth', dbt.type_string()) }} as value_1,
        null as value_2,
        null as value_3,
        null as value_4
    from profile_records
    where date_of_birth is not null

    union all

    select
        contact_candidates.customer_key,
        usable_contacts.identifier_type as attribute,
        contact_candidates.source,
        contact_candidates.record_at,
        usable_contacts.identifier_value as value_1,
        null as value_2,
        null as value_3,
        null as value_4
    from contact_candidates
    inner join usable_contacts on contact_candidates.value_id = usable_contacts.value_id
),

ranked as (
    select
        candidates.*,
        row_number() over (
            partition by candidates.customer_key, candidates.attribute
            order by
                coalesce(precedence.precedence, 99), candidates.record_at desc nulls last,
                candidates.value_1 asc
        ) as survivorship_rank
    from candidates
    left join precedence
        on candidates.attribute = precedence.attribute
        and candidates.source = precedence.source
),

winners as (
    select * from ranked
    where survivorship_rank = 1
),

-- the generational suffix the customer's records write most often (ties: the smaller),
-- for a customer whose winning name has none: a son who writes "Jr." on one form is shown
-- as Jr, so that he can be told from his father
name_suffixes as (
    select
        customer_key,
        name_suffix,
        row_number() over (
            partition by customer_key
            order by count(*) desc, name_suffix asc
        ) as suffix_rank
    from profile_records
    where name_suffix is not null
    group by customer_key, name_suffix
),

erased_customers as (
    select distinct customer_id from {{ ref('int_privacy__erasure_scope') }}
),

customers as (
    select
        anchor_record_id as customer_key,
        {{ dbt.any_value('customer_id') }} as customer_id
    from record_customers
    where customer_id not in (select erased_customers.customer_id from erased_customers)
    group by anchor_record_id
),

final as (
    select
        customers.customer_id,
        name_winner.value_1 as first_name,
        name_winner.value_2 as last_name,
        -- the winning name's own suffix, so that name and suffix agree ("Meier II", II)
        case coalesce(name_winner.value_3, name_suffixes.name_suffix)
            when 'jr' then 'Jr'
            when 'sr' then 'Sr'
            else upper(coalesce(name_winner.value_3, name_suffixes.name_suffix))
        end as name_suffix,
        name_winner.source as name_source,
        email_winner.value_1 as email,
        email_winner.source as email_source,
        phone_winner.value_1 as phone,
        phone_winner.source as phone_source,
        address_winner.value_1 as street_address,
        address_winner.value_2 as city,
        address_winner.value_3 as postal_code,
        address_winner.value_4 as country_code,
        address_winner.source as address_source,
        cast(dob_winner.value_1 as date) as date_of_birth,
        dob_winner.source as date_of_birth_source
    from customers
    left join winners as name_winner
        on customers.customer_key = name_winner.customer_key and name_winner.attribute = 'name'
    left join name_suffixes
        on customers.customer_key = name_suffixes.customer_key and name_suffixes.suffix_rank = 1
    left join winners as email_winner
        on customers.customer_key = email_winner.customer_key and email_winner.attribute = 'email'
    left join winners as phone_winner
        on customers.customer_key = phone_winner.customer_key and phone_winner.attribute = 'phone'
    left join winners as address_winner
        on customers.customer_key = address_winner.customer_key
        and address_winner.attribute = 'address'
    left join winners as dob_winner
        on customers.customer_key = dob_winner.customer_key
        and dob_winner.attribute = 'date_of_birth'
)

select * from final
