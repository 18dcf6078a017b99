{#
    Customers the business knows as a person: at least one of their records carries a
    name, an email or a phone, or comes from a system of people (CRM, shop accounts,
    loyalty). Excluded are customer_ids made only of pseudonymous traces: a visitor's
    anonymous_id that never identified, a device id, a cash sale, a card that never met
    any other record. Their rows stay in the marts, with customer_id left null. Customers who
    asked to be erased (int_privacy__erasure_scope) are not known customers either.
#}
with record_customers as (
    -- known_by per record: int_identity__record_clusters
    select * from {{ ref('int_identity__record_customers') }}
),

erased_customers as (
    select distinct customer_id from {{ ref('int_privacy__erasure_scope') }}
),

final as (
    select
        customer_id,
        case
            when max(case when known_by = 'system_of_people' then 1 else 0 end) = 1
                then 'system_of_people'
            when max(case when known_by = 'personal_identifier' then 1 else 0 end) = 1
                then 'personal_identifier'
            else 'name'
        end as known_by
    from record_customers
    where known_by is not null
        and customer_id not in (select erased_customers.customer_id from erased_customers)
    group by customer_id
)

select * from final
