"""PII: tagged in YAML, and a pseudonymized copy of the marts built from the tags."""

from __future__ import annotations

import json
import re
import shutil

import duckdb
import yaml
from conftest import ROOT, query, run

from cdp.dbt_plugin import DEVELOPMENT_SALT, Plugin, pseudonym_salt

PERSONAL = {"email", "phone", "first_name", "last_name", "street_address", "postal_code",
            "date_of_birth", "identifier"}


def is_personal(column: str) -> bool:
    """A personal field as delivered or as a match key: `email`, `traits_email`,
    `requester_phone_e164`, `postal_code_normalized`, `identifier_value`, ..."""
    name = re.sub(r"_(normalized|e164|raw|value)$", "", re.sub(r"^(traits|requester)_", "", column))
    return name in PERSONAL


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
            if is_personal(name) and not meta.get("pii"):
                untagged.append(f"{node['name']}.{name}")
    assert untagged == []


def test_every_staging_and_mart_column_is_documented(built_db):
    """The tags above are only as good as the column lists: a column missing from the YAML
    has neither a description in `dbt docs` nor a PII tag (the match keys of staging, such
    as `email_normalized`, were missing until 2026-12-07)."""
    db, target = built_db
    documented = {(node["schema"], node["alias"]): set(node["columns"])
                  for node in _manifest(target)["nodes"].values()
                  if node["resource_type"] == "model"}
    built = query(db, """
        select table_schema, table_name, column_name from information_schema.columns
        where table_schema = 'marts' or (table_schema = 'staging' and table_name like 'stg_%')""")
    missing = sorted(f"{table}.{column}" for schema, table, column in built
                     if column not in documented[(schema, table)])
    assert missing == []


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


def test_pseudonyms_are_the_salted_hash_of_the_profile_plugins_salt(built_db):
    # the salt reaches DuckDB only through the plugin's session variable (never as SQL text)
    db, _ = built_db
    hashed, emails = query(db, """
        select count(*) filter (where p.email = md5(? || m.email)), count(m.email)
        from marts.customers as m
        inner join marts_pseudonymized.customers as p using (customer_id)""",
                           [pseudonym_salt()])[0]
    assert emails > 0 and hashed == emails


def test_pseudonymizing_without_the_salt_plugin_stops_the_run(built_db, tmp_path):
    # a profile that does not load cdp.dbt_plugin has no salt: the hook must fail, not write
    # md5(null || value), which is null for every personal column
    db, _ = built_db
    copy = tmp_path / "copy.duckdb"
    shutil.copy(db, copy)
    profile = yaml.safe_load((ROOT / "profiles.yml").read_text())
    output = profile["cdp"]["outputs"]["dev"]
    assert output.pop("plugins") == [{"module": "cdp.dbt_plugin"}]
    (tmp_path / "profiles.yml").write_text(yaml.safe_dump(profile))
    result = run(["dbt", "run", "--select", "data_quality"], copy, tmp_path / "target",
                 check=False, env={"DBT_PROFILES_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "no pseudonymization salt in the session" in result.stdout


def test_the_salt_plugin_sets_the_salt_and_leaves_an_empty_one_unset(monkeypatch):
    # an empty CDP_PSEUDONYM_SALT would hash with no salt at all: the variable stays unset,
    # so the hook stops the run (previous test) instead of writing plain md5 hashes
    plugin = Plugin(name="dbt_plugin", plugin_config={})
    for value, expected in (("s3cret", "s3cret"), ("", None)):
        monkeypatch.setenv("CDP_PSEUDONYM_SALT", value)
        with duckdb.connect() as con:
            plugin.configure_connection(con)
            cursor = con.cursor()
            plugin.configure_cursor(cursor)
            assert cursor.execute("select getvariable('cdp_pseudonym_salt')").fetchone() == (
                expected,)
    monkeypatch.delenv("CDP_PSEUDONYM_SALT")
    assert pseudonym_salt() == DEVELOPMENT_SALT
