"""PII: tagged in YAML, and a pseudonymized copy of the marts built from the tags."""

from __future__ import annotations

import json

from conftest import query

PERSONAL = {"email", "phone", "first_name", "last_name", "street_address", "postal_code",
            "date_of_birth", "identifier_value", "requester_email", "requester_phone"}


def _manifest(target):
    return json.loads((target / "manifest.json").read_text())


def test_personal_columns_are_tagged_from_staging_on(built_db):
    _, target = built_db
    untagged = []
    for node in _manifest(target)["nodes"].values():
        if node["resource_type"] != "model" or node["schema"] not in ("staging", "marts"):
            continue
        for name, column in node["columns"].items():
            meta = column.get("meta") or column.get("config", {}).get("meta", {})
            if name in PERSONAL and not meta.get("pii"):
                untagged.append(f"{node['name']}.{name}")
    assert untagged == []


def test_pseudonymized_marts_hash_every_tagged_column_and_keep_the_joins(built_db):
    db, target = built_db
    marts = {name for (name,) in query(db, "select table_name from information_schema.tables "
                                           "where table_schema = 'marts'")}
    copies = {name for (name,) in query(db, "select table_name from information_schema.tables "
                                            "where table_schema = 'marts_pseudonymized'")}
    assert marts == copies
    same = query(db, """
        select count(*) filter (where m.email = p.email), count(m.email),
               count(*) filter (where m.city is not distinct from p.city), count(*)
        from marts.customers as m
        inner join marts_pseudonymized.customers as p using (customer_id)""")[0]
    emails_left, emails, cities_kept, rows = same
    assert emails > 0 and emails_left == 0
    assert cities_kept == rows == query(db, "select count(*) from marts.customers")[0][0]
    # a hashed email still joins: the win-back audience matches its customers row
    joined = query(db, """
        select count(*) from marts_pseudonymized.audience_churn_win_back_email as a
        inner join marts_pseudonymized.customers as c
            on a.customer_id = c.customer_id and a.email = c.email""")[0][0]
    assert joined == query(db, "select count(*) from marts.audience_churn_win_back_email")[0][0]
