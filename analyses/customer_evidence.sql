-- Why is this one customer? Its records (oldest first), and every link that joins them:
-- - shared_identifier: an identifier value two of its records carry, used for stitching
--   (a star from the oldest record that carries it);
-- - probabilistic_match: an accepted Fellegi-Sunter match between two of its deterministic
--   clusters, each shown by its oldest record (what was compared is the clusters'
--   profiles: the most common value of each match key among their records), with the
--   blocking rule that found the pair, the level and weight of every comparison that
--   applied (seed identity_comparison_levels says what each level means), the total match
--   weight and the probability;
-- - shared_identifier_not_used: a value two of its records carry that links nobody, and why
--   (blocklisted, over_cap, not_issued, not_a_stitching_type).
-- The links of the first two kinds connect all of the customer's records (tested in
-- tests/python/test_analyses.py).
-- Set the customer with:
--   dbt compile --select customer_evidence --vars '{customer_id: cus_...}'
-- or several at once: --vars '{customer_ids: [cus_..., cus_...]}'
{%- set customer_ids = var('customer_ids', [var('customer_id', 'cus_replace_me')]) %}

with customer_records as (
    select
        customer_id,
        record_id,
        {{ dbt.concat(['source', "':'", 'source_record_id']) }} as record,
        cluster_id,
        matched_by,
        first_loaded_at,
        -- records are shown oldest first; a star of links starts at its oldest record, and
        -- a deterministic cluster is shown by its oldest record
        row_number() over (partition by customer_id order by first_loaded_at, record_id)
            as record_number,
        first_value(record_id) over (
            partition by customer_id, cluster_id order by first_loaded_at, record_id
        ) as cluster_first_record_id
    from {{ ref('int_identity__record_customers') }}
    where customer_id in ('{{ customer_ids | join("', '") }}')
),

record_clusters as (
    select * from {{ ref('int_identity__record_clusters') }}
),

identifiers as (
    select * from {{ ref('int_identity__identifiers') }}
),

assessment as (
    select * from {{ ref('int_identity__identifier_assessment') }}
),

match_scores as (
    select * from {{ ref('int_identity__match_scores') }}
),

comparison_levels as (
    select * from {{ ref('identity_comparison_levels') }}
),

-- the identifier values of the customer's records; a record whose identifiers belong to
-- several people (a shared tablet) links nothing, so its values are left out
carried_values as (
    select distinct
        customer_records.customer_id,
        customer_records.record_id,
        customer_records.record_number,
        identifiers.value_id,
        identifiers.identifier_type,
        identifiers.identifier_value
    from customer_records
    inner join record_clusters on customer_records.record_id = record_clusters.record_id
    inner join identifiers on customer_records.record_id = identifiers.record_id
    where not record_clusters.has_conflicting_identifiers
),

-- values that two records or more of one customer carry: a star from the oldest of them
carriers as (
    select
        *,
        first_value(record_id) over (
            partition by customer_id, value_id order by record_number
        ) as first_record_id,
        count(*) over (partition by customer_id, value_id) as carrier_count
    from carried_values
),

identifier_links as (
    select
        carriers.customer_id,
        case when assessment.is_usable then 'shared_identifier' else 'shared_identifier_not_used' end
            as link_type,
        carriers.first_record_id as record_id_a,
        carriers.record_id as record_id_b,
        {{ dbt.concat([
            'carriers.identifier_type', "' '", 'carriers.identifier_value',
            "case when assessment.is_usable then '' else "
                ~ dbt.concat(["' ('", 'assessment.unusable_reason', "')'"]) ~ " end"
        ]) }} as evidence,
        cast(null as double) as match_weight,
        cast(null as double) as match_probability
    from carriers
    inner join assessment on carriers.value_id = assessment.value_id
    where carriers.carrier_count > 1
        and carriers.record_id <> carriers.first_record_id
),

-- each deterministic cluster of a customer, shown by its oldest record
customer_clusters as (
    select distinct
        customer_id,
        cluster_id,
        cluster_first_record_id as first_record_id
    from customer_records
),

accepted_matches as (
    select
        clusters_a.customer_id,
        clusters_a.first_record_id as record_id_a,
        clusters_b.first_record_id as record_id_b,
        match_scores.*
    from match_scores
    inner join customer_clusters as clusters_a on match_scores.cluster_id_a = clusters_a.cluster_id
    inner join customer_clusters as clusters_b
        on match_scores.cluster_id_b = clusters_b.cluster_id
        and clusters_a.customer_id = clusters_b.customer_id
    where match_scores.is_match
),

-- one row per comparison of each accepted match that applied (a null level did not)
match_comparisons as (
    {%- for comparison in cdp.match_comparisons() %}
        select
            cluster_id_a,
            cluster_id_b,
            {{ loop.index }} as comparison_order,
            '{{ comparison }}' as comparison,
            {{ comparison }}_level as comparison_level,
            {{ comparison }}_weight as comparison_weight
        from accepted_matches
        where {{ comparison }}_level is not null
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

described_comparisons as (
    select
        match_comparisons.cluster_id_a,
        match_comparisons.cluster_id_b,
        match_comparisons.comparison_order,
        match_comparisons.comparison,
        coalesce(
            comparison_levels.description,
            {{ dbt.concat([
                "'level '", dbt.safe_cast('match_comparisons.comparison_level', dbt.type_string())
            ]) }}
        ) as level_description,
        {{ dbt.concat([
            "case when match_comparisons.comparison_weight >= 0 then '+' else '' end",
            dbt.safe_cast('round(match_comparisons.comparison_weight, 1)', dbt.type_string())
        ]) }} as weight_text
    from match_comparisons
    left join comparison_levels
        on match_comparisons.comparison = comparison_levels.comparison
        and match_comparisons.comparison_level = comparison_levels.comparison_level
),

match_evidence as (
    select
        cluster_id_a,
        cluster_id_b,
        {{ dbt.listagg(
            dbt.concat(['comparison', "': '", 'level_description', "' ('", 'weight_text', "')'"]),
            "'; '",
            'order by comparison_order'
        ) }} as comparisons
    from described_comparisons
    group by cluster_id_a, cluster_id_b
),

match_links as (
    select
        accepted_matches.customer_id,
        'probabilistic_match' as link_type,
        accepted_matches.record_id_a,
        accepted_matches.record_id_b,
        {{ dbt.concat([
            "'blocking rule '", 'accepted_matches.blocking_rule', "'; '", 'match_evidence.comparisons'
        ]) }} as evidence,
        accepted_matches.match_weight,
        accepted_matches.match_probability
    from accepted_matches
    inner join match_evidence
        on accepted_matches.cluster_id_a = match_evidence.cluster_id_a
        and accepted_matches.cluster_id_b = match_evidence.cluster_id_b
),

links as (
    select * from identifier_links
    union all
    select * from match_links
),

final as (
    select
        customer_id,
        0 as row_order,
        record_number,
        'record' as link_type,
        record as record_a,
        cast(null as {{ dbt.type_string() }}) as record_b,
        {{ dbt.concat([
            "'matched by '", 'matched_by', "'; first loaded '",
            dbt.safe_cast('first_loaded_at', dbt.type_string())
        ]) }} as evidence,
        cast(null as double) as match_weight,
        cast(null as double) as match_probability
    from customer_records

    union all

    select
        links.customer_id,
        case links.link_type when 'shared_identifier' then 1 when 'probabilistic_match' then 2 else 3 end
            as row_order,
        records_b.record_number,
        links.link_type,
        records_a.record as record_a,
        records_b.record as record_b,
        links.evidence,
        links.match_weight,
        links.match_probability
    from links
    inner join customer_records as records_a on links.record_id_a = records_a.record_id
    inner join customer_records as records_b on links.record_id_b = records_b.record_id
)

select
    customer_id,
    link_type,
    record_a,
    record_b,
    evidence,
    match_weight,
    match_probability
from final
order by customer_id, row_order, record_number, record_a
