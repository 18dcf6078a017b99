{#
    One profile per deterministic cluster: for each match key, the value most of the
    cluster's records agree on (ties: the smallest). Probabilistic matching compares these
    profiles, so a loyalty member with only a name, birth date and postcode can meet a shop
    customer whose name is on the account and whose postcode is on the orders.

    Incremental: the pre-hook deletes the profiles of the clusters that changed in this run
    (cdp.identity_clusters_changed_in_this_run) and the run computes them again from all
    their records' profiles; a cluster without records is not written back.
#}
{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook=[
            "{% if is_incremental() %}delete from {{ this }} where cluster_id in ("
            ~ "{{ cdp.identity_clusters_changed_in_this_run() }}){% endif %}"
        ]
    )
}}
-- depends_on: {{ ref('int_identity__removed_records') }}
-- depends_on: {{ ref('int_identity__record_clusters') }}
with record_profiles as (
    select * from {{ ref('int_identity__record_profiles') }}
    {%- if is_incremental() %}
        where cluster_id in ({{ cdp.identity_clusters_changed_in_this_run() }})
    {%- endif %}
),

{%- set keys = [
    'first_name_key', 'last_name_key', 'name_suffix_key', 'date_of_birth', 'postal_code_key', 'street_key',
    'city_key', 'phone', 'email_local_key',
] %}

attribute_values as (
    {%- for key in keys %}
        select
            cluster_id,
            '{{ key }}' as attribute,
            {{ dbt.safe_cast(key, dbt.type_string()) }} as attribute_value
        from record_profiles
        where {{ key }} is not null
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

value_counts as (
    select
        cluster_id,
        attribute,
        attribute_value,
        count(*) as records_with_value
    from attribute_values
    group by cluster_id, attribute, attribute_value
),

ranked as (
    select
        *,
        row_number() over (
            partition by cluster_id, attribute
            order by records_with_value desc, attribute_value asc
        ) as value_rank
    from value_counts
),

final as (
    select
        cluster_id,
        {%- for key in keys %}
            {%- if key == 'date_of_birth' %}
                cast(max(case when attribute = 'date_of_birth' then attribute_value end) as date)
                    as date_of_birth,
            {%- else %}
                max(case when attribute = '{{ key }}' then attribute_value end) as {{ key }},
            {%- endif %}
        {%- endfor %}
        count(distinct attribute) as attributes_known
    from ranked
    where value_rank = 1
    group by cluster_id
)

select * from final
