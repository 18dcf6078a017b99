{#
    How common each first and last name is among the cluster profiles. Two records both
    called James Smith say less than two records both called Siobhan Allen: for an exact
    name agreement, int_identity__match_scores uses this share as u (the chance that a
    different person has the same value) instead of the average u over all names, the
    term-frequency adjustment of Fellegi-Sunter.
#}
with cluster_profiles as (
    select * from {{ ref('int_identity__cluster_profiles') }}
),

name_values as (
    {%- for comparison, key in cdp.frequency_adjusted_comparisons().items() %}
        select
            '{{ comparison }}' as comparison,
            {{ key }} as comparison_value
        from cluster_profiles
        where {{ key }} is not null
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

counted as (
    select
        comparison,
        comparison_value,
        count(*) as profiles_with_value
    from name_values
    group by comparison, comparison_value
),

final as (
    select
        comparison,
        comparison_value,
        profiles_with_value,
        cast(profiles_with_value as double) / sum(profiles_with_value) over (partition by comparison)
            as value_share
    from counted
)

select * from final
