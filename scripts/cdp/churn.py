"""The churn score validated against the generator's ground truth.

`customer_churn` is rebuilt as of a cut-off date (dbt vars `as_of` and `cdp_as_of_schema`:
the models tagged `as_of` go to a separate schema, production tables are untouched), so
every feature comes from data up to that day. The truth says who really stops buying after
the cut-off (`truth.people.churned_at` later than the cut-off). Scored: customers who had
bought by the cut-off and had not already churned in truth. Each customer stands for the
person most of their records belong to.

Reported: ROC AUC of `churn_risk_score` (and of each component, for explanation),
precision in the top decile against the base rate, and the churn rate per segment.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import duckdb

from .evaluate import LABELLED_SQL

SCHEMA = "churn_validation"

SCORED_SQL = """
with customer_person as (
    select customer_cluster as customer_id, person_id,
           row_number() over (partition by customer_cluster
                              order by count(*) desc, person_id) as rnk
    from labelled_records group by 1, 2
)
select
    churn.churn_risk_score::double as score,
    churn.recency_risk::double as recency_risk,
    churn.overdue_risk::double as overdue_risk,
    churn.trend_risk::double as trend_risk,
    churn.frequency_risk::double as frequency_risk,
    churn.churn_segment,
    coalesce(people.churned_at >= $cutoff_end, false) as churned
from {schema}.customer_churn as churn
inner join customer_person
    on customer_person.customer_id = churn.customer_id and customer_person.rnk = 1
inner join truth.people as people on people.person_idx = customer_person.person_id
where churn.lifecycle_stage <> 'lead'
  and (people.churned_at is null or people.churned_at >= $cutoff_end)
"""


def roc_auc(scores: list[float], labels: list[bool]) -> float:
    """Probability that a random churner scores above a random stayer (ties count half)."""
    pairs = sorted(zip(scores, labels, strict=True), key=lambda pair: pair[0])
    positives = sum(labels)
    negatives = len(labels) - positives
    if not positives or not negatives:
        return float("nan")
    rank_sum, i = 0.0, 0
    while i < len(pairs):
        j = i
        while j + 1 < len(pairs) and pairs[j + 1][0] == pairs[i][0]:
            j += 1
        average_rank = (i + j) / 2 + 1
        rank_sum += average_rank * sum(1 for _, label in pairs[i:j + 1] if label)
        i = j + 1
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def rebuild_as_of(root: Path, cutoff: date, database: Path) -> None:
    """Run the as_of-tagged models as of `cutoff` into the validation schema."""
    env = os.environ | {"CDP_DUCKDB_PATH": str(database), "DO_NOT_TRACK": "1",
                        "DBT_PROFILES_DIR": str(root)}
    dbt = Path(sys.executable).parent / "dbt"
    result = subprocess.run(
        [str(dbt), "run", "--select", "tag:as_of", "--vars",
         f'{{as_of: "{cutoff.isoformat()}", cdp_as_of_schema: {SCHEMA}}}'],
        cwd=root, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        tail = "\n".join(result.stdout.strip().splitlines()[-15:])
        raise RuntimeError(f"dbt run as of {cutoff} failed:\n{tail}")


def evaluate(con: duckdb.DuckDBPyConnection, cutoff: date) -> dict:
    end = con.execute("select end_date from truth.generation").fetchone()[0]
    con.execute(LABELLED_SQL)  # every record with the real person behind it
    rows = con.execute(SCORED_SQL.format(schema=SCHEMA),
                       {"cutoff_end": cutoff + timedelta(days=1)}).fetchall()
    labels = [bool(row[-1]) for row in rows]
    scored = len(rows)
    churners = sum(labels)
    result = {
        "cutoff": cutoff.isoformat(),
        "horizon_end": end.isoformat(),
        "scored_customers": scored,
        "churners": churners,
        "base_rate": round(churners / scored, 4) if scored else None,
        "roc_auc": round(roc_auc([row[0] for row in rows], labels), 4),
        "component_roc_auc": {
            name: round(roc_auc([row[k] for row in rows], labels), 4)
            for k, name in enumerate(
                ["recency_risk", "overdue_risk", "trend_risk", "frequency_risk"], start=1)
        },
    }
    top = sorted(rows, key=lambda row: -row[0])[: max(1, scored // 10)]
    precision = sum(1 for row in top if row[-1]) / len(top) if rows else 0.0
    result["top_decile_precision"] = round(precision, 4)
    result["top_decile_lift"] = round(precision / result["base_rate"], 2) if churners else None
    segments: dict[str, list[int]] = {}
    for row in rows:
        counts = segments.setdefault(row[5], [0, 0])
        counts[0] += 1
        counts[1] += int(bool(row[-1]))
    result["churn_rate_by_segment"] = {
        segment: {"customers": n, "churn_rate": round(k / n, 4)}
        for segment, (n, k) in sorted(segments.items())
    }
    return result
