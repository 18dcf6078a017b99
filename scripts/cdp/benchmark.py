"""Benchmarks that write their figures to files (never timed assertions in tests).

Each scale runs in its own process on a fresh DuckDB file, so the peak memory a run
reports (ru_maxrss of that process) is its own.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path


def _machine() -> dict:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def benchmark_generate(root: Path, scales: list[int], out: Path) -> tuple[Path, Path]:
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for people in scales:
            db = Path(tmp) / f"bench_{people}.duckdb"
            result = subprocess.run(
                [sys.executable, "-m", "cdp.cli", "--database", str(db), "generate",
                 "--people", str(people), "--json"],
                cwd=root, capture_output=True, text=True, check=True,
            )
            report = json.loads(result.stdout)
            report["rows_per_second"] = round(report["raw_rows_total"] / report["seconds"])
            report["database_mb"] = round(db.stat().st_size / 2**20, 1)
            report.pop("database")
            runs.append(report)
            db.unlink()
    out.mkdir(parents=True, exist_ok=True)
    json_path = out / "generator.json"
    json_path.write_text(json.dumps({"machine": _machine(), "runs": runs}, indent=2) + "\n")

    tables = list(runs[0]["raw_rows"])
    lines = [
        "# Generator benchmark",
        "",
        f"`cdp benchmark generate`, {_machine()['cpus']} cores. Seconds are wall time of the "
        "generation (one DuckDB transaction); memory is the process's peak RSS.",
        "",
        "| people | seconds | raw rows | rows/s | peak memory (MB) | DuckDB file (MB) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in runs:
        lines.append(f"| {r['people']:,} | {r['seconds']:.1f} | {r['raw_rows_total']:,} | "
                     f"{r['rows_per_second']:,} | {r['peak_memory_mb']:,.0f} | "
                     f"{r['database_mb']:,.0f} |")
    lines += ["", "Rows per raw table:", "",
              "| table | " + " | ".join(f"{r['people']:,}" for r in runs) + " |",
              "| --- | " + " | ".join("---:" for _ in runs) + " |"]
    for table in tables:
        lines.append(f"| {table} | " + " | ".join(f"{r['raw_rows'][table]:,}" for r in runs)
                     + " |")
    md_path = out / "generator.md"
    md_path.write_text("\n".join(lines) + "\n")
    return json_path, md_path
