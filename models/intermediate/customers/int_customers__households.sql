{#
    Known customers grouped by the normalized form of their golden-record address
    (street, postal code, country): one household per address.
#}
with golden_records as (
    select * from {{ ref('int_identity__golden_records') }}
),

known_customers as (
    select * from {{ ref('int_identity__known_customers') }}
),

addressed as (
    select
        golden_records.customer_id,
        golden_records.street_address,
        golden_records.city,
        golden_records.postal_code,
        golden_records.country_code,
        {{ cdp.normalize_street('golden_records.street_address') }} as street_address_normalized
    from golden_records
    inner join known_customers on golden_records.customer_id = known_customers.customer_id
    where golden_records.street_address is not null and golden_records.postal_code is not null
),

final as (
    select
        {{ dbt.concat(["'hh_'", dbt.hash(dbt.concat([
            'street_address_normalized', "'|'", 'postal_code', "'|'", "coalesce(country_code, '')"]))]) }}
            as household_id,
        customer_id,
        street_address,
        street_address_normalized,
        city,
        postal_code,
        country_code
    from addressed
)

select * from final
