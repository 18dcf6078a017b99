"""The analyses in `analyses/` compile and run on the built test warehouse, and
customer_evidence explains every customer: the links it lists connect all of a customer's
records, as identity resolution joined them."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import yaml
from conftest import ROOT, query, run

ANALYSES = sorted(path.stem for path in (ROOT / "analyses").glob("*.sql"))
LINKING = {"shared_identifier", "probabilistic_match"}


def compiled(target: Path, name: str) -> str:
    return (target / "compiled" / "cdp" / "analyses" / f"{name}.sql").read_text()


def test_every_analysis_is_described():
    described = {analysis["name"]: analysis.get("description", "").strip()
                 for analysis in yaml.safe_load(
                     (ROOT / "analyses" / "_analyses.yml").read_text())["analyses"]}
    assert sorted(described) == ANALYSES
    assert [name for name, description in described.items() if not description] == []


def test_every_analysis_compiles_and_returns_rows(built_db, tmp_path):
    db, _ = built_db
    # a customer with an order and several records, for the analyses of one customer
    (customer_id,), = query(db, """
        select customer_id from marts.customers
        where orders_count > 0 and customer_id in (
            select customer_id from intermediate.int_identity__record_customers
            group by customer_id having count(*) > 2)
        order by customer_id limit 1""")
    run(["dbt", "compile", "--select", "resource_type:analysis",
         "--vars", json.dumps({"customer_id": customer_id})], db, tmp_path)
    empty = [name for name in ANALYSES if not query(db, compiled(tmp_path, name))]
    assert len(ANALYSES) >= 6
    assert empty == []


def test_customer_evidence_connects_all_records_of_each_customer(built_db, tmp_path):
    db, _ = built_db
    # every customer that probabilistic matching joined (several deterministic clusters),
    # then customers of several records from one cluster, up to 600
    ids = [row[0] for row in query(db, """
        select customer_id from intermediate.int_identity__record_customers
        group by customer_id
        having count(*) > 1
        order by count(distinct cluster_id) > 1 desc, hash(customer_id)
        limit 600""")]
    (joined,), = query(db, """
        select count(*) from (
            select customer_id from intermediate.int_identity__record_customers
            group by customer_id having count(distinct cluster_id) > 1)""")
    assert 0 < joined < len(ids)  # all of them are in the sample
    run(["dbt", "compile", "--select", "customer_evidence",
         "--vars", json.dumps({"customer_ids": ids})], db, tmp_path)
    rows = query(db, compiled(tmp_path, "customer_evidence"))

    expected = defaultdict(set)
    for customer_id, source, key in query(db, f"""
            select customer_id, source, source_record_id
            from intermediate.int_identity__record_customers
            where customer_id in ({", ".join("?" for _ in ids)})""", ids):
        expected[customer_id].add(f"{source}:{key}")
    listed = defaultdict(set)
    links = defaultdict(list)
    kinds = defaultdict(int)
    for customer_id, link_type, record_a, record_b, evidence, weight, _probability in rows:
        kinds[link_type] += 1
        if link_type == "record":
            listed[customer_id].add(record_a)
            continue
        assert record_a in expected[customer_id] and record_b in expected[customer_id]
        if link_type == "probabilistic_match":
            # every comparison level is described (seed identity_comparison_levels)
            assert weight is not None and ": level " not in evidence, evidence
        if link_type in LINKING:
            links[customer_id].append((record_a, record_b))
    assert listed == expected

    def components(records: set[str], edges: list[tuple[str, str]]) -> int:
        parent = {record: record for record in records}

        def root(record: str) -> str:
            while parent[record] != record:
                parent[record] = parent[parent[record]]
                record = parent[record]
            return record

        for a, b in edges:
            parent[root(a)] = root(b)
        return len({root(record) for record in records})

    apart = {customer_id: components(records, links[customer_id])
             for customer_id, records in expected.items()}
    assert {customer_id: n for customer_id, n in apart.items() if n != 1} == {}
    # the sample holds both kinds of link
    assert kinds["shared_identifier"] > 0 and kinds["probabilistic_match"] > 0


def test_summary_reports_the_latest_tests_and_a_customer_to_explain(built_db, tmp_path):
    db, _ = built_db
    printed = run(["cdp", "summary"], db).stdout
    tests_line = next(line for line in printed.splitlines() if line.startswith("dbt tests of"))
    assert " pass" in tests_line and "fail" not in tests_line and "error" not in tests_line
    customer_id = re.search(r"customer_id: (cus_[0-9a-f]+)", printed).group(1)
    assert query(db, """
        select count(*) from intermediate.int_identity__record_customers
        where customer_id = ? and matched_by = 'probabilistic'""", [customer_id])[0][0] > 0
    shown = run(["dbt", "show", "--select", "customer_evidence", "--limit", "500",
                 "--output", "json", "--vars", json.dumps({"customer_id": customer_id})],
                db, tmp_path).stdout
    assert '"link_type": "probabilistic_match"' in shown
