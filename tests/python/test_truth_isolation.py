"""No model, macro, seed, snapshot or analysis may read the ground truth."""

from __future__ import annotations

import json
import re

from conftest import ROOT

DBT_DIRS = ["models", "macros", "seeds", "snapshots", "analyses", "tests"]
TRUTH_REFERENCE = re.compile(r"\btruth\s*\.|schema\s*:\s*['\"]?truth\b|['\"]truth['\"]", re.I)


def test_no_dbt_file_mentions_the_truth_schema():
    offenders = []
    for folder in DBT_DIRS:
        for path in (ROOT / folder).rglob("*"):
            if (path.is_file() and path.suffix in {".sql", ".yml", ".yaml", ".csv", ".md"}
                    and TRUTH_REFERENCE.search(path.read_text(errors="ignore"))):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_every_dbt_source_reads_schema_raw(built_db):
    _, target = built_db
    manifest = json.loads((target / "manifest.json").read_text())
    schemas = {node["schema"] for node in manifest["sources"].values()}
    assert schemas == {"raw"}
    compiled = " ".join(
        node.get("compiled_code") or "" for node in manifest["nodes"].values()
    )
    assert not re.search(r'\btruth"?\s*\.', compiled)


def test_the_detector_would_catch_a_truth_reference(tmp_path):
    """Guard the guard: the pattern matches the ways a model could reach the truth."""
    for text in ["select * from truth.people", "from \"truth\".source_records",
                 "schema: truth", "source('truth', 'people')"]:
        assert TRUTH_REFERENCE.search(text), text
    assert not TRUTH_REFERENCE.search("select ground_truthiness from raw.x")
