"""Identity resolution judged against the generator's ground truth.

Reads `intermediate.int_identity__record_customers` (every source record with its
deterministic cluster and final customer_id) and `truth`. Records whose real person is
ambiguous (a family tablet's anonymous_id) are left out and counted.

Scopes: `linkable` records carry some evidence tying them to their person (the truth's
`is_linkable`; a cash sale without a loyalty card, or a device that never identifies,
carries none and can only ever be a customer of its own); `all_records` counts those too.

Metrics, for a clustering C of the labelled records and the true people P:
- pairwise precision / recall / F1 over record pairs placed together;
- unification rate: share of people whose records all land in one cluster holding nobody else;
- over-merge rate: share of clusters holding records of more than one person;
- split rate: share of people whose records are spread over more than one cluster.

`split_people_by_shared_evidence` explains the splits that remain: for each split person,
what their other customers' records share with their main customer on the normalized match
keys (a name only, an address only, both, a birth date, or nothing comparable).

`household_namesakes` counts the pairs of people who share a household and a full name (a
father and the son named after him, or by chance) and how many of those pairs landed in one
customer: the two people who look most like one.
"""

from __future__ import annotations

import duckdb

LABELLED_SQL = """
create or replace temp view labelled_records as
select
    rc.source,
    rc.source_record_id,
    rc.cluster_id as deterministic_cluster,
    rc.customer_id as customer_cluster,
    coalesce(sr.person_id, anon.person_id) as person_id,
    coalesce(sr.is_linkable, anon.is_linkable) as is_linkable
from intermediate.int_identity__record_customers as rc
left join truth.source_records as sr
    on sr.source = rc.source and sr.source_record_id = rc.source_record_id
left join truth.anonymous_ids as anon
    on rc.source = 'tracking_events' and anon.anonymous_id = rc.source_record_id
   and not anon.is_shared_device
where coalesce(sr.person_id, anon.person_id) is not null
"""

METRICS_SQL = """
with by_cluster_person as (
    select {cluster} as cluster_id, person_id, count(*)::double as n
    from labelled_records where {scope} group by 1, 2
),
by_cluster as (
    select cluster_id, sum(n) as n, count(*) as people from by_cluster_person group by 1
),
by_person as (
    select person_id, sum(n) as n, count(*) as clusters from by_cluster_person group by 1
),
person_clean as (
    select bp.person_id, bp.clusters = 1 and bc.people = 1 as is_unified
    from by_person as bp
    inner join by_cluster_person as bcp on bcp.person_id = bp.person_id
    inner join by_cluster as bc on bc.cluster_id = bcp.cluster_id
)
select
    (select sum(n * (n - 1) / 2) from by_cluster_person) as true_positive_pairs,
    (select sum(n * (n - 1) / 2) from by_cluster) as predicted_pairs,
    (select sum(n * (n - 1) / 2) from by_person) as true_pairs,
    (select count(*) from by_cluster) as clusters,
    (select count(*) filter (where people > 1) from by_cluster) as overmerged_clusters,
    (select count(*) from by_person) as people,
    (select count(*) filter (where clusters > 1) from by_person) as split_people,
    (select count(*) from (select person_id from person_clean group by 1
                           having bool_and(is_unified))) as unified_people
"""


# What the rest of a split person's records share with their main customer (the one holding
# most of their records), compared on the normalized match keys: the evidence a matcher
# had to work with. People, not records; linkable records, final customers.
SPLIT_EVIDENCE_SQL = """
with split_people as (
    select person_id from labelled_records where is_linkable
    group by person_id having count(distinct customer_cluster) > 1
),
person_customers as (
    select person_id, customer_cluster, count(*) as records,
           row_number() over (partition by person_id
                              order by count(*) desc, customer_cluster) = 1 as is_main
    from labelled_records
    where is_linkable and person_id in (select person_id from split_people)
    group by person_id, customer_cluster
),
record_keys as (
    select pc.person_id, pc.is_main,
           coalesce(nick.canonical_name, sr.first_name_normalized) as first_name,
           sr.last_name_normalized as last_name, sr.date_of_birth,
           sr.postal_code_normalized as postal_code, sr.street_address_normalized as street
    from labelled_records as lr
    inner join person_customers as pc
        on pc.person_id = lr.person_id and pc.customer_cluster = lr.customer_cluster
    inner join intermediate.int_identity__source_records as sr
        on sr.source = lr.source and sr.source_record_id = lr.source_record_id
    left join seeds.name_nicknames as nick on nick.nickname = sr.first_name_normalized
    where lr.is_linkable
),
sides as (
    select person_id, is_main,
           list(distinct first_name) filter (where first_name is not null) as first_names,
           list(distinct last_name) filter (where last_name is not null) as last_names,
           list(distinct date_of_birth) filter (where date_of_birth is not null) as births,
           list(distinct postal_code) filter (where postal_code is not null) as postcodes,
           list(distinct street) filter (where street is not null) as streets
    from record_keys group by person_id, is_main
),
shared as (
    select
        coalesce(len(list_intersect(rest.first_names, main.first_names)) > 0
                 or len(list_intersect(rest.last_names, main.last_names)) > 0, false) as name,
        coalesce(len(list_intersect(rest.births, main.births)) > 0, false) as birth_date,
        coalesce(len(list_intersect(rest.postcodes, main.postcodes)) > 0
                 or len(list_intersect(rest.streets, main.streets)) > 0, false) as address
    from sides as rest
    inner join sides as main on main.person_id = rest.person_id and main.is_main
    where not rest.is_main
)
select
    case
        when birth_date then 'birth_date_and_more'
        when name and address then 'name_and_address'
        when name then 'name_only'
        when address then 'address_only'
        else 'nothing_comparable'
    end as evidence,
    count(*) as people
from shared group by 1 order by 2 desc
"""


# Pairs of people in one household with one full name, and those with linkable records in one
# final customer.
HOUSEHOLD_NAMESAKES_SQL = """
with namesakes as (
    select older.person_idx as older_id, younger.person_idx as younger_id
    from truth.people as older
    inner join truth.people as younger
        on younger.household_idx = older.household_idx
       and younger.person_idx > older.person_idx
       and younger.first_name = older.first_name
       and younger.last_name = older.last_name
),
customers as (
    select distinct person_id, customer_cluster from labelled_records where is_linkable
),
in_one_customer as (
    select distinct namesakes.older_id, namesakes.younger_id
    from namesakes
    inner join customers as older on older.person_id = namesakes.older_id
    inner join customers as younger
        on younger.person_id = namesakes.younger_id
       and younger.customer_cluster = older.customer_cluster
)
select (select count(*) from namesakes), (select count(*) from in_one_customer)
"""


def _ratio(a: float, b: float) -> float:
    return round(a / b, 6) if b else 1.0


def _metrics(con, cluster: str, scope: str) -> dict:
    row = con.execute(METRICS_SQL.format(cluster=cluster, scope=scope)).fetchone()
    tp, predicted, true, clusters, overmerged, people, split, unified = row
    precision, recall = _ratio(tp, predicted), _ratio(tp, true)
    return {
        "pairwise_precision": precision,
        "pairwise_recall": recall,
        "pairwise_f1": round(2 * precision * recall / (precision + recall), 6)
        if precision + recall else 0.0,
        "unification_rate": _ratio(unified, people),
        "over_merge_rate": _ratio(overmerged, clusters),
        "split_rate": _ratio(split, people),
        "customers": clusters,
        "people": people,
    }


def evaluate(con: duckdb.DuckDBPyConnection) -> dict:
    """Metrics for the deterministic clusters and the final customers, over the records
    that carry linking evidence (`linkable`, what the targets refer to) and over all."""
    con.execute(LABELLED_SQL)
    total, labelled, linkable = con.execute(
        "select (select count(*) from intermediate.int_identity__record_customers), "
        "(select count(*) from labelled_records), "
        "(select count(*) from labelled_records where is_linkable)").fetchone()
    result = {
        "records": total,
        "labelled_records": labelled,
        "linkable_records": linkable,
        "unlabelled_records": total - labelled,
    }
    for scope_name, scope in (("linkable", "is_linkable"), ("all_records", "true")):
        result[scope_name] = {
            name: _metrics(con, column, scope)
            for name, column in (("deterministic", "deterministic_cluster"),
                                 ("with_probabilistic", "customer_cluster"))
        }
    result["linkable"]["split_people_by_shared_evidence"] = dict(
        con.execute(SPLIT_EVIDENCE_SQL).fetchall())
    pairs, in_one_customer = con.execute(HOUSEHOLD_NAMESAKES_SQL).fetchone()
    result["linkable"]["household_namesakes"] = {
        "pairs": pairs, "in_one_customer": in_one_customer}
    return result
