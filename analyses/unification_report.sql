-- How far identity resolution unified the sources: customers by number of source systems,
-- and the share of each source's records attributed to a known customer.
with customers as (
    select * from {{ ref('customers') }}
),

identities as (
    select * from {{ ref('customer_identities') }}
),

known as (
    select customer_id from customers
),

systems_per_customer as (
    select
        length(source_systems) - length(replace(source_systems, ',', '')) + 1 as source_system_count,
        count(*) as customers
    from customers
    group by source_system_count
),

records_per_source as (
    select
        identities.source,
        count(distinct identities.source_record_id) as records,
        count(distinct case when known.customer_id is not null then identities.source_record_id end)
            as records_of_known_customers
    from identities
    left join known on identities.customer_id = known.customer_id
    group by identities.source
)

select
    'source_systems_per_customer' as measure,
    cast(source_system_count as varchar) as dimension,
    customers as value,
    null as share
from systems_per_customer
union all
select
    'records_attributed' as measure,
    source as dimension,
    records as value,
    round(records_of_known_customers * 1.0 / records, 4) as share
from records_per_source
order by measure asc, dimension asc
