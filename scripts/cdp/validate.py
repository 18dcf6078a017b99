"""great-expectations at the landing boundary: `cdp validate`.

One expectation suite per raw contract table, written here from the contract (columns
present, `_loaded_at` set) plus what we know of each source (key null rate, value sets,
formats, timestamp ranges). Tables are read from DuckDB as pandas data frames, batch by
batch, so memory stays bounded at any size; each batch runs through the table's
Checkpoint. (GX 1.x SQL data sources through duckdb-engine fail every expectation: GX
issues 10738 and 11579.) Row-level checks use `mostly`: raw data is dirty by nature and
staging quarantines the bad rows; the suites catch a broken feed, not a bad row.

Data Docs are written under the output folder; the summary lists every failed
expectation with its table and observed value.
"""

from __future__ import annotations

import logging
import time
import warnings
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import duckdb

from .contract import RawTable

KEYS = {
    "crm_contacts": "contact_id", "crm_accounts": "account_id", "shop_customers": "customer_id",
    "shop_orders": "order_id", "shop_order_items": "order_id", "tracking_events": "message_id",
    "pos_transactions": "transaction_id", "loyalty_members": "loyalty_card_id",
    "support_tickets": "ticket_id", "email_activity": "activity_id",
    "consent_events": "consent_event_id", "privacy_requests": "request_id",
}
VALUE_SETS = {
    "tracking_events": {"source": ["web", "ios", "android"],
                        "type": ["track", "identify", "page", "screen"]},
    "email_activity": {"activity_type": ["sent", "delivered", "open", "click", "bounce",
                                         "unsubscribe", "spam_complaint"]},
    "consent_events": {"status": ["granted", "denied", "withdrawn"],
                       "purpose": ["email_marketing", "sms_marketing", "personalized_ads",
                                   "analytics"]},
    "privacy_requests": {"request_type": ["erasure", "access", "do_not_sell"]},
    "shop_orders": {"order_status": ["placed", "shipped", "delivered", "cancelled",
                                     "refunded"]},
}
EVENT_TIMES = {
    "tracking_events": "timestamp", "email_activity": "occurred_at",
    "pos_transactions": "transacted_at", "shop_orders": "ordered_at",
    "consent_events": "occurred_at", "privacy_requests": "received_at",
    "support_tickets": "created_at",
}
EMAILS = {"crm_contacts": "email", "shop_customers": "email", "loyalty_members": "email",
          "email_activity": "email", "support_tickets": "requester_email"}
EMAIL_SHAPE = r"^\s*[^@\s]+@[^@\s]+\s*$"


def expectations(table: RawTable) -> list:
    import great_expectations as gx

    columns = table.column_names
    key = KEYS.get(table.name)
    found = [
        gx.expectations.ExpectTableColumnsToMatchSet(column_set=columns, exact_match=False),
        gx.expectations.ExpectColumnValuesToNotBeNull(column="_loaded_at"),
        # a landing time ahead of now hides later rows from incremental runs (the dbt
        # source test landing_time_is_usable stops the source; this finds the batch)
        gx.expectations.ExpectColumnValuesToBeBetween(
            column="_loaded_at", max_value=datetime.now() + timedelta(days=1)),
    ]
    if key:
        found.append(gx.expectations.ExpectColumnValuesToNotBeNull(column=key, mostly=0.98))
        found.append(gx.expectations.ExpectCompoundColumnsToBeUnique(
            column_list=[key, "_loaded_at"] + (["line_number"] if table.name ==
                                               "shop_order_items" else []), mostly=0.99))
    for column, values in VALUE_SETS.get(table.name, {}).items():
        found.append(gx.expectations.ExpectColumnValuesToBeInSet(
            column=column, value_set=values, mostly=0.98))
    if table.name in EVENT_TIMES:
        found.append(gx.expectations.ExpectColumnValuesToBeBetween(
            column=EVENT_TIMES[table.name], min_value=datetime(2000, 1, 1),
            max_value=datetime.now() + timedelta(days=1), mostly=0.99))
    if table.name in EMAILS:
        found.append(gx.expectations.ExpectColumnValuesToMatchRegex(
            column=EMAILS[table.name], regex=EMAIL_SHAPE, mostly=0.9))
    if table.name == "tracking_events":
        for column in ("properties", "traits", "context"):
            found.append(gx.expectations.ExpectColumnValuesToBeJsonParseable(
                column=column, mostly=0.98))
    if table.name == "shop_order_items":
        found.append(gx.expectations.ExpectColumnValuesToBeBetween(
            column="quantity", min_value=0, mostly=0.98))
    return found


@dataclass
class TableResult:
    table: str
    rows: int = 0
    batches: int = 0
    failures: list[dict] = field(default_factory=list)


def validate(con: duckdb.DuckDBPyConnection, tables: list[RawTable], out: Path,
             batch_rows: int = 500_000) -> tuple[list[TableResult], float, Path]:
    """Run every table's checkpoint over its batches; return results, seconds, docs index."""
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore")
    import great_expectations as gx

    started = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    context = gx.get_context(mode="file", project_root_dir=str(out))
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context.variables.progress_bars = ProgressBarsConfig(globally=False,
                                                         metric_calculations=False)
    source = context.data_sources.add_or_update_pandas(name="raw")
    results = []
    for table in tables:
        result = TableResult(table.name)
        results.append(result)
        asset = next((a for a in source.assets if a.name == table.name), None) \
            or source.add_dataframe_asset(name=table.name)
        batch = next((b for b in asset.batch_definitions if b.name == "batch"), None) \
            or asset.add_batch_definition_whole_dataframe("batch")
        suite = context.suites.add_or_update(gx.ExpectationSuite(
            name=f"raw_{table.name}", expectations=expectations(table)))
        definition = context.validation_definitions.add_or_update(gx.ValidationDefinition(
            name=f"raw_{table.name}", data=batch, suite=suite))
        checkpoint = context.checkpoints.add_or_update(gx.Checkpoint(
            name=f"raw_{table.name}", validation_definitions=[definition],
            actions=[gx.checkpoint.UpdateDataDocsAction(name="data_docs")],
            result_format="SUMMARY"))
        cursor = con.execute(f"select * from raw.{table.name}")
        while True:
            frame = cursor.fetch_df_chunk(max(1, batch_rows // 2048))
            if len(frame) == 0 and result.batches > 0:
                break
            run = checkpoint.run(batch_parameters={"dataframe": frame})
            result.rows += len(frame)
            result.batches += 1
            for validation in run.run_results.values():
                for check in validation.results:
                    if not check.success:
                        config = check.expectation_config
                        result.failures.append({
                            "batch": result.batches,
                            "expectation": config.type,
                            "column": config.kwargs.get("column")
                            or config.kwargs.get("column_list"),
                            "observed": _observed(check.result),
                        })
            if len(frame) == 0:
                break
    docs = Path(context.build_data_docs()["local_site"].removeprefix("file://"))
    return results, time.perf_counter() - started, docs


def _observed(result: dict) -> str:
    if "unexpected_percent" in result and result.get("unexpected_percent") is not None:
        sample = result.get("partial_unexpected_list") or []
        return (f"{result['unexpected_percent']:.2f}% unexpected"
                + (f", e.g. {sample[:3]}" if sample else ""))
    if "observed_value" in result:
        return f"observed {result['observed_value']}"
    return "failed"
