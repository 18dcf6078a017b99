{#
    m and u probabilities per comparison level, estimated from the data (nothing typed in):

    - m = P(level | same person): from pairs of records that the deterministic graph already
      put in one cluster (up to 4 profile records per cluster, those with the smallest
      record_id, a hash, so a pick that does not depend on loading order, in a sample of
      var cdp_match_m_sample_clusters clusters, the first in hash order);
    - u = P(level | different people): from a random sample of pairs of cluster profiles
      (var cdp_match_u_sample_pairs), where almost every pair is two different people;
      in a warehouse with fewer profiles than that, each profile meets several others.

    Counts are smoothed (+1) so a level never seen still gets a finite weight.
    weight = log2(m / u): what observing that level adds to the match weight.
#}
with record_profiles as (
    select * from {{ ref('int_identity__record_profiles') }}
),

cluster_profiles as (
    select * from {{ ref('int_identity__cluster_profiles') }}
),

numbered_profiles as (
    select
        *,
        row_number() over (order by {{ dbt.hash('cluster_id') }}) as profile_number,
        count(*) over () as profile_total
    from cluster_profiles
),

-- the first clusters in hash order: a sample that does not depend on the order of loading
-- (not in cluster_id order: a cluster's id is its smallest record_id, so large clusters
-- tend to have small ids)
sampled_clusters as (
    select cluster_id from numbered_profiles
    where profile_number <= {{ var('cdp_match_m_sample_clusters') }}
),

sampled_records as (
    select *
    from (
        select
            *,
            row_number() over (
                partition by cluster_id
                order by record_id
            ) as sample_rank
        from record_profiles
        where cluster_id in (select sampled_clusters.cluster_id from sampled_clusters)
    ) as ranked
    where sample_rank <= 4
),

same_person_pairs as (
    select
        {{ cdp.comparison_levels('left_record', 'right_record') }}
    from sampled_records as left_record
    inner join sampled_records as right_record
        on left_record.cluster_id = right_record.cluster_id
        and left_record.record_id < right_record.record_id
),

-- with fewer profiles than the sample asks for pairs, each profile gets several partners
-- (partner 1 is the only one when there are enough): a comparison that applies to few
-- pairs (mailbox_name) still gets a u worth its name in a small warehouse
partners as (
    select profile_number as partner_number
    from numbered_profiles
    where (profile_number - 1) * profile_total < {{ var('cdp_match_u_sample_pairs') }}
),

random_pairs as (
    select
        {{ cdp.comparison_levels('left_profile', 'right_profile') }}
    from numbered_profiles as left_profile
    cross join partners
    inner join numbered_profiles as right_profile
        on right_profile.profile_number = 1 + mod(
            left_profile.profile_number + partners.partner_number
            + left_profile.profile_number * 7919,
            left_profile.profile_total
        )
        and left_profile.profile_number <> right_profile.profile_number
    where (partners.partner_number - 1) * left_profile.profile_total
        + left_profile.profile_number <= {{ var('cdp_match_u_sample_pairs') }}
),

{%- set comparisons = cdp.match_comparisons() %}

m_levels as (
    {%- for comparison in comparisons %}
        select
            '{{ comparison }}' as comparison,
            {{ comparison }}_level as comparison_level,
            count(*) as pairs
        from same_person_pairs
        where {{ comparison }}_level is not null
        group by 1, 2
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

u_levels as (
    {%- for comparison in comparisons %}
        select
            '{{ comparison }}' as comparison,
            {{ comparison }}_level as comparison_level,
            count(*) as pairs
        from random_pairs
        where {{ comparison }}_level is not null
        group by 1, 2
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

all_levels as (
    select distinct
        comparison,
        comparison_level
    from m_levels
    union
    select distinct
        comparison,
        comparison_level
    from u_levels
),

counted as (
    select
        all_levels.comparison,
        all_levels.comparison_level,
        coalesce(m_levels.pairs, 0) as m_pairs,
        coalesce(u_levels.pairs, 0) as u_pairs,
        sum(coalesce(m_levels.pairs, 0)) over (partition by all_levels.comparison) as m_total,
        sum(coalesce(u_levels.pairs, 0)) over (partition by all_levels.comparison) as u_total,
        count(*) over (partition by all_levels.comparison) as level_count
    from all_levels
    left join m_levels
        on all_levels.comparison = m_levels.comparison
        and all_levels.comparison_level = m_levels.comparison_level
    left join u_levels
        on all_levels.comparison = u_levels.comparison
        and all_levels.comparison_level = u_levels.comparison_level
),

probabilities as (
    select
        comparison,
        comparison_level,
        m_pairs,
        u_pairs,
        -- doubles: Spark divides decimals (`m_pairs + 1.0`) to six decimal places, which
        -- moved a weight by up to 0.0024 bits against DuckDB's (decision 0007)
        cast(m_pairs + 1 as double) / (m_total + level_count) as m_probability,
        cast(u_pairs + 1 as double) / (u_total + level_count) as u_probability
    from counted
),

final as (
    select
        comparison,
        comparison_level,
        m_pairs,
        u_pairs,
        m_probability,
        u_probability,
        ln(m_probability / u_probability) / ln(2.0) as match_weight
    from probabilities
)

select * from final
