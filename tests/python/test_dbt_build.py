"""`dbt build` end to end: on generated data and on an empty landing zone."""

from __future__ import annotations

import json
import re
import shutil

import duckdb
from conftest import ROOT, query, run, run_results


def test_build_on_generated_data_passes(built_db):
    _, target = built_db
    results = run_results(target)
    failures = [r["unique_id"] for r in results if r["status"] in ("error", "fail")]
    assert failures == []
    assert sum(1 for r in results if r["unique_id"].startswith("test.")) >= 20


def test_every_raw_row_is_staged_or_rejected(built_db):
    db, _ = built_db
    for table, stg in [("shop_orders", "stg_shop__orders"),
                       ("tracking_events", "stg_tracking__events"),
                       ("crm_contacts", "stg_crm__contacts")]:
        raw = query(db, f"select count(*) from raw.{table}")[0][0]
        staged = query(db, f"select count(*) from staging.{stg}")[0][0]
        rejected = query(db, "select count(*) from staging.stg_quality__rejected_rows "
                             "where source_table = ?", [table])[0][0]
        assert raw == staged + rejected > 0
        assert rejected > 0  # the generator injects re-deliveries and null keys


def test_build_on_empty_raw_tables_then_a_first_crm_export(tmp_path):
    """An empty landing zone builds green. Then the first thing a company often lands, a CRM
    export (people, no transaction or event yet, one contact without `created_at`), builds
    green too, incrementally: every contact is a lead as of the latest record date. Before,
    the as_of date was null and no customer had a lifecycle stage."""
    db = tmp_path / "empty.duckdb"
    run(["cdp", "init-raw"], db)
    target = tmp_path / "target"
    run(["dbt", "build"], db, target)
    assert all(r["status"] in ("success", "pass") for r in run_results(target))

    export = tmp_path / "contacts.csv"
    export.write_text(
        "contact_id,first_name,last_name,email,created_at,updated_at\n"
        "c1,Ann,Lee,ann.lee@example.com,2026-03-01 09:00:00,2026-03-02 09:00:00\n"
        "c2,Bob,Ray,bob.ray@example.com,2026-04-15 17:30:00,2026-04-15 17:30:00\n"
        "c3,Cy,Fox,cy.fox@example.com,,\n")
    run(["cdp", "load", "crm_contacts", str(export)], db)
    run(["dbt", "build"], db, target)
    assert all(r["status"] in ("success", "pass") for r in run_results(target))
    stages = query(db, "select lifecycle_stage, as_of_date, count(*) from marts.customers "
                       "group by all")
    assert [(stage, str(as_of), n) for stage, as_of, n in stages] == [("lead", "2026-04-15", 3)]


def test_run_log_records_what_the_build_did(built_db):
    """audit.run_log (on-run-end): one row per node, with statuses and table row counts."""
    db, target = built_db
    nodes = len(run_results(target))
    logged, models_counted, invocations, customers = query(db, """
        select count(*),
               count(*) filter (where resource_type = 'model' and row_count is not null),
               count(distinct invocation_id),
               max(case when node_id = 'model.cdp.customers' then row_count end)
        from audit.run_log""")[0]
    assert invocations >= 1 and logged >= nodes
    assert models_counted >= 30
    assert customers == query(db, "select count(*) from marts.customers")[0][0]


def test_a_full_refresh_that_leaves_out_built_incremental_models_downstream_is_refused(
        built_db, tmp_path):
    """Full-refreshing int_identity__identifiers alone, then building the rest incrementally,
    left 32 tables unlike a full refresh with every test passing (CHANGELOG): the models
    downstream only redo the records that landed since their last run. Such a selection is
    refused before anything runs; the model with its descendants (`+`) is not, and the
    refusal can be overridden."""
    db, _ = built_db
    copy = tmp_path / "cdp.duckdb"
    shutil.copy(db, copy)
    identifiers = "select count(*) from intermediate.int_identity__identifiers"
    full = query(copy, identifiers)[0][0]
    with duckdb.connect(str(copy)) as con:  # a mark that only a rebuild of the model undoes
        con.execute("delete from intermediate.int_identity__identifiers where record_id in "
                    "(select min(record_id) from intermediate.int_identity__identifiers)")
    marked = query(copy, identifiers)[0][0]
    assert marked < full

    refused = run(["dbt", "build", "--full-refresh", "-s", "int_identity__identifiers"], copy,
                  tmp_path / "refused", check=False)
    out = refused.stdout + refused.stderr
    assert refused.returncode != 0
    assert "Traceback" not in out
    assert "int_identity__identifier_assessment" in out  # names what was left out
    assert "(int_identity__identifiers+," in out  # and says what to select instead
    assert query(copy, identifiers)[0][0] == marked  # nothing ran

    # a selection with every built incremental model downstream is let through (`dbt ls`
    # runs no hooks: the hook's check is the thing under test, so run it on a leaf)
    run(["dbt", "run", "--full-refresh", "-s", "sessions"], copy,
        tmp_path / "leaf")
    run(["dbt", "run", "--full-refresh", "-s", "int_identity__identifiers",
         "--vars", "{cdp_allow_partial_selection: true}"], copy, tmp_path / "allowed")
    assert query(copy, identifiers)[0][0] == full


def test_a_run_that_leaves_out_the_readers_of_a_models_changes_in_this_run_is_refused(
        built_db, tmp_path):
    """Identity passes its changes down within one invocation: the models after
    int_identity__record_clusters read the rows it stamped with this run's start. Run alone
    (`dbt run -s +int_identity__record_clusters` after new data landed, then `dbt build`),
    it left 33 tables and 113,692 rows unlike a full refresh at 10k people, every test
    passing. Such a selection is refused; one that stops before those models is not."""
    db, _ = built_db
    copy = tmp_path / "cdp.duckdb"
    shutil.copy(db, copy)

    refused = run(["dbt", "run", "-s", "+int_identity__record_clusters"], copy,
                  tmp_path / "refused", check=False)
    out = refused.stdout + refused.stderr
    assert refused.returncode != 0
    assert "Traceback" not in out
    assert "int_records__attributed" in out and "customer_id_merges" in out
    # the most upstream of the selected models that pass changes on: the rest follow from it
    assert "(int_identity__identifier_assessment+," in out
    assert "START sql" not in out  # nothing ran

    # staging and the records' identifiers are picked up later by landing time
    run(["dbt", "run", "-s", "int_identity__identifiers"], copy, tmp_path / "allowed")
    run(["dbt", "run", "-s", "int_identity__record_clusters",
         "--vars", "{cdp_allow_partial_selection: true}"], copy, tmp_path / "overridden")


def test_a_run_after_one_that_stopped_inside_identity_is_refused_until_rebuilt(
        built_db, tmp_path):
    """The same hand-over breaks when a run stops between the models: a node that fails, a
    failing test that skips what follows, a killed process, or a partial run let through
    by the var. Identity's changes of that run are never read after it. The next run that
    would build past that point is refused, with the full refresh that repairs it."""
    db, _ = built_db
    copy = tmp_path / "cdp.duckdb"
    shutil.copy(db, copy)
    with duckdb.connect(str(copy)) as con:  # a new person, so identity has changes to pass on
        con.execute("""
            insert into raw.shop_customers (customer_id, email, first_name, last_name,
                                            created_at, updated_at, _loaded_at)
            values ('STOPPED-1', 'stopped.run@example.org', 'Stella', 'Stopped',
                    timestamp '2026-11-02', timestamp '2026-11-02', now())""")
    stopped = ["dbt", "run", "-s", "+int_identity__record_clusters",
               "--vars", "{cdp_allow_partial_selection: true}"]
    run(stopped, copy, tmp_path / "stopped")

    # a run that builds nothing after the stop is let through
    run(["dbt", "run", "-s", "stg_shop__customers"], copy, tmp_path / "staging")
    refused = run(["dbt", "build"], copy, tmp_path / "refused", check=False)
    out = refused.stdout + refused.stderr
    assert refused.returncode != 0
    assert "Traceback" not in out
    assert "int_records__attributed" in out  # a model that did not read the changes
    assert "dbt build --full-refresh -s int_identity__identifier_assessment+" in out
    assert "START sql" not in out

    run(["dbt", "build", "--full-refresh", "-s", "int_identity__identifier_assessment+"],
        copy, tmp_path / "repaired")
    run(["dbt", "build"], copy, tmp_path / "after")
    assert query(copy, "select count(distinct customer_id) from marts.customer_identities "
                       "where source_record_id = 'STOPPED-1'")[0][0] == 1


def test_every_stamp_read_as_this_runs_belongs_to_a_marked_model(built_db):
    """The refusals above know which models pass changes on within a run by their mark
    (`meta: {passes_changes_in_run: true}`). A model whose stamp another model reads as
    `= run_started_at` without the mark would slip past them: every column compared so
    must belong to a marked model."""
    db, target = built_db
    sql = "\n".join(path.read_text() for folder in ("models", "macros")
                    for path in (ROOT / folder).rglob("*.sql"))
    read = set(re.findall(r"(?:\w+\.)?(\w+) = {{ cdp\.run_started_at_timestamp\(\) }}", sql))
    assert {"clustered_at", "stitched_at", "attribution_changed_at"} <= read
    nodes = json.loads((target / "manifest.json").read_text())["nodes"].values()
    marked = {node["alias"] for node in nodes if node["resource_type"] == "model"
              and node["config"].get("meta", {}).get("passes_changes_in_run")}
    assert marked
    owners = {}
    for table, column in query(db, "select table_name, column_name from "
                                   "information_schema.columns"):
        owners.setdefault(column, set()).add(table)
    assert sorted(column for column in read if not owners.get(column, set()) & marked) == []
