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
with record_customers as (
    select * from {{ ref('int_identity__record_customers') }}
    {%- if is_incremental() %}
    where customer_id in ({{ cdp.identity_customers_changed_in_this_run() }})
    {%- endif %}
),

source_records as (
    select * from {{ ref('int_identity__source_records') }}
),

assessment as (
    select * from {{ ref('int_identity__identifier_assessment') }}
),

precedence as (
    select * from {{ ref('identity_source_precedence') }}
),

-- only the columns the candidates use: DuckDB keeps every column of a CTE it reads four
-- times, and the normalized and load-time columns would double what it holds
records as (
    select
        record_customers.customer_id,
        source_records.record_id,
        source_records.source,
        source_records.record_at,
        source_records.first_name,
        source_records.last_name,
        source_records.street_address,
        source_records.city,
        source_records.postal_code_normalized,
        source_records.country_code,
        source_records.date_of_birth
    from record_customers
    inner join source_records on record_customers.record_id = source_records.record_id
),

-- the emails and phones of those records; in an incremental run they are picked out before
-- the join to the assessment, which DuckDB otherwise makes over all 11M of them (at 1M)
identifiers {{ cdp.materialized_cte() if is_incremental() else 'as' }} (
    select * from {{ ref('int_identity__identifiers') }}
    where identifier_type in ('email', 'phone')
    {%- if is_incremental() %}
        and record_id in (select records.record_id from records)
    {%- endif %}
),

candidates as (
    select
        customer_id,
        'name' as attribute,
        source,
        record_at,
        first_name as value_1,
        last_name as value_2,
        null as value_3,
        null as value_4
    from records
    where first_name is not null and last_name is not null

    union all

    select
        customer_id,
        'address' as attribute,
        source,
        record_at,
        street_address as value_1,
        city as value_2,
        postal_code_normalized as value_3,
        country_code as value_4
    from records
    where street_address is not null and postal_code_normalized is not null

    union all

    select
        customer_id,
        'date_of_birth' as attribute,
        source,
        record_at,
        {{ dbt.safe_cast('date_of_birth', dbt.type_string()) }} as value_1,
        null as value_2,
        null as value_3,
        null as value_4
    from records
    where date_of_birth is not null

    union all

    -- one candidate per (customer, value, source), seen last at record_at: thousands of
    -- email activities of one address compete as one
    select
        records.customer_id,
        identifiers.identifier_type as attribute,
        records.source,
        max(records.record_at) as record_at,
        identifiers.identifier_value as value_1,
        null as value_2,
        null as value_3,
        null as value_4
    from records
    inner join identifiers on records.record_id = identifiers.record_id
    inner join assessment on identifiers.value_id = assessment.value_id
    where assessment.unusable_reason is null
    group by records.customer_id, identifiers.identifier_type, records.source, identifiers.identifier_value
),

ranked as (
    select
        candidates.*,
        row_number() over (
            partition by candidates.customer_id, candidates.attribute
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

erased_customers as (
    select distinct customer_id from {{ ref('int_privacy__erasure_scope') }}
),

customers as (
    select distinct customer_id from record_customers
    where customer_id not in (select erased_customers.customer_id from erased_customers)
),

final as (
    select
        customers.customer_id,
        name_winner.value_1 as first_name,
        name_winner.value_2 as last_name,
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
        on customers.customer_id = name_winner.customer_id and name_winner.attribute = 'name'
    left join winners as email_winner
        on customers.customer_id = email_winner.customer_id and email_winner.attribute = 'email'
    left join winners as phone_winner
        on customers.customer_id = phone_winner.customer_id and phone_winner.attribute = 'phone'
    left join winners as address_winner
        on customers.customer_id = address_winner.customer_id and address_winner.attribute = 'address'
    left join winners as dob_winner
        on customers.customer_id = dob_winner.customer_id and dob_winner.attribute = 'date_of_birth'
)

select * from final
