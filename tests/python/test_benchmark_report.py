"""The build benchmark's report: figures by layer, and how they were taken."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from cdp import benchmark
from cdp.benchmark import _build_markdown, _layer_seconds, _test_profile


def _run(people: int, threads: int) -> dict:
    layers = {"staging": 1.0, "identity": 2.0, "marts": 3.0, "tests": 4.0}
    build = {"ok": True, "failed_nodes": [], "seconds": 10.0, "raw_rows_per_second": 2_000,
             "layer_seconds": layers, "peak_memory_mb": 500,
             "slowest_nodes": [{"node": "events", "seconds": 3.0}]}
    quality = {"pairwise_precision": 0.999, "pairwise_recall": 0.98,
               "unification_rate": 0.95, "over_merge_rate": 0.001}
    return {
        "people": people, "dbt_threads": threads, "raw_rows": 20_000,
        "full_build": build,
        "floor": {"seconds": 0.1, "raw_rows": 20_000, "build_multiple": 100.0},
        "incremental_build": build | {"new_raw_rows": 200, "seconds": 5.0,
                                      "share_of_full": 0.5, "failed_nodes": ["events"]},
        "identity_linkable": {"deterministic": quality, "with_probabilistic": quality},
    }


def test_report_states_dbt_threads_and_failures():
    one = _build_markdown([_run(10_000, 1)], "build.png")
    assert "one node at a time (`CDP_THREADS=1`)" in one
    assert "| 10,000 | 20,000 | 10.0 | 2,000 |" in one
    assert "| 50% |" in one
    assert "Failed nodes: 10,000: `events`" in one
    two = _build_markdown([_run(10_000, 2)], "build.png")
    assert "2 nodes at once (`CDP_THREADS=2`)" in two


def test_layer_seconds_group_nodes_by_layer():
    results = {"results": [
        {"unique_id": "model.cdp.stg_shop__orders", "execution_time": 1.5},
        {"unique_id": "model.cdp.int_identity__graph_edges", "execution_time": 2.0},
        {"unique_id": "model.cdp.customer_identities", "execution_time": 1.0},
        {"unique_id": "model.cdp.events", "execution_time": 3.0},
        {"unique_id": "test.cdp.not_null_events_event_id", "execution_time": 0.5},
    ]}
    assert _layer_seconds(results) == {"staging": 1.5, "identity": 3.0, "marts": 3.0,
                                       "tests": 0.5, "hooks": 0.0}


def test_test_profile_separates_data_and_unit_tests_and_reports_the_slowest():
    results = {"results": [
        {"unique_id": "model.cdp.events", "execution_time": 9.0},
        {"unique_id": "test.cdp.not_null_events_event_id.abc", "execution_time": 0.5},
        {"unique_id": "test.cdp.assert_marts_follow_current_attribution", "execution_time": 2.0},
        {"unique_id": "unit_test.cdp.customers.lifecycle", "execution_time": 0.25},
    ]}
    profile = _test_profile(results)
    assert profile["data_tests"] == 2 and profile["data_test_seconds"] == 2.5
    assert profile["unit_tests"] == 1 and profile["unit_test_seconds"] == 0.25
    assert [t["node"] for t in profile["slowest"]] == [
        "assert_marts_follow_current_attribution", "not_null_events_event_id.abc",
        "customers.lifecycle"]
    run = _run(1_000_000, 1)
    run["full_build"] = run["full_build"] | {"tests": profile}
    run["incremental_build"] = run["incremental_build"] | {"tests": profile}
    report = _build_markdown([run], "build.png")
    assert "| +1% incremental | 2 | 2.5 | 1 | 0.25 |" in report
    assert "| `assert_marts_follow_current_attribution` | 2.0 |" in report


def test_a_build_that_leaves_nothing_to_evaluate_stops_with_the_failed_nodes(monkeypatch, tmp_path):
    """No stack trace: the error names the scale, the evaluation's message and the nodes."""
    def fake_measured(cmd, env, cwd, report):
        target = Path(cmd[cmd.index("--target-path") + 1])
        target.mkdir(parents=True, exist_ok=True)
        (target / "run_results.json").write_text(json.dumps({"results": [
            {"unique_id": "unit_test.cdp.int_identity__record_customers.t", "status": "error",
             "execution_time": 0.1}]}))
        return {"returncode": 1, "seconds": 1.0, "peak_mb": 10.0}

    def fake_run(cmd, **kwargs):
        if "evaluate-identity" in cmd:
            return subprocess.CompletedProcess(cmd, 2, "", "cdp: error: no record_customers\n")
        return subprocess.CompletedProcess(cmd, 0, "", "")

    monkeypatch.setattr(benchmark, "_measured", fake_measured)
    monkeypatch.setattr(benchmark.subprocess, "run", fake_run)
    monkeypatch.setattr(benchmark, "hold_back_newest", lambda db, share: 0)
    monkeypatch.setattr(benchmark, "land_held", lambda db: None)
    monkeypatch.setattr(benchmark, "read_once_floor", lambda db: {"seconds": 0.1, "raw_rows": 10})
    with pytest.raises(ValueError, match=r"10,000 people: the identity evaluation failed "
                                         r"\(cdp: error: no record_customers\); failed dbt nodes: "
                                         r"unit_test\.cdp\.int_identity__record_customers\.t"):
        benchmark.benchmark_build(Path.cwd(), [10_000], tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_report_shows_the_full_refresh_check_when_it_ran():
    plain = _build_markdown([_run(10_000, 1)], "build.png")
    assert "Incremental equals full refresh" not in plain
    identical = _run(10_000, 1) | {"incremental_equals_full_refresh": {
        "tables": 55, "differing_rows": 0, "differing_tables": {}}}
    drifted = _run(100_000, 1) | {"incremental_equals_full_refresh": {
        "tables": 55, "differing_rows": 1_204, "differing_tables": {"marts.events": 1_204}}}
    report = _build_markdown([identical, drifted], "build.png")
    assert "| 10,000 | 55 | 0 | none |" in report
    assert "| 100,000 | 55 | 1,204 | `marts.events` (1,204) |" in report
