{#
    Households: known customers sharing a normalized address. Join customers on
    household_id for the members.
#}
with household_members as (
    select * from {{ ref('int_customers__households') }}
),

activity as (
    select * from {{ ref('int_customers__activity_as_of') }}
),

final as (
    select
        household_members.household_id,
        min(household_members.street_address) as street_address,
        min(household_members.city) as city,
        min(household_members.postal_code) as postal_code,
        min(household_members.country_code) as country_code,
        count(*) as member_count,
        count(*) > 1 as has_several_members,
        sum(activity.orders_count) as orders_count,
        cast(sum(activity.lifetime_revenue) as decimal(18, 2)) as lifetime_revenue
    from household_members
    left join activity on household_members.customer_id = activity.customer_id
    group by household_members.household_id
)

select * from final
