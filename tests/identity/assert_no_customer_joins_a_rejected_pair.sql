{#
    Over-merge alarm: a customer holding two deterministic clusters that were compared and
    kept apart (int_identity__match_scores, not is_match) was joined through other
    clusters. Such a customer nearly always holds two people (at 100k generated people, 30
    of 31 did before the bridge veto). The veto `bridges_rejected_pair` stops one cluster
    from joining such a pair; a path through two or more clusters is not stopped and shows
    here, one row per rejected pair, to review with the analysis customer_evidence. Warns.
#}
{{ config(severity='warn') }}

with kept_apart as (
    select
        cluster_id_a,
        cluster_id_b,
        match_weight,
        veto_reason
    from {{ ref('int_identity__match_scores') }}
    where not is_match
),

customer_clusters as (
    select * from {{ ref('int_identity__customer_clusters') }}
)

select
    customer_a.customer_cluster_id,
    kept_apart.cluster_id_a,
    kept_apart.cluster_id_b,
    kept_apart.match_weight,
    kept_apart.veto_reason
from kept_apart
inner join customer_clusters as customer_a on kept_apart.cluster_id_a = customer_a.cluster_id
inner join customer_clusters as customer_b on kept_apart.cluster_id_b = customer_b.cluster_id
where customer_a.customer_cluster_id = customer_b.customer_cluster_id
