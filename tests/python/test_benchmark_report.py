"""The build benchmark's report: figures by layer, and how they were taken."""

from __future__ import annotations

from cdp.benchmark import _build_markdown, _layer_seconds


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
