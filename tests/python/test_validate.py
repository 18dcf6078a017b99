"""`cdp validate`: great-expectations suites on the raw landing tables."""

from __future__ import annotations

from conftest import run


def test_generated_landing_zone_passes_every_suite(generated_db, tmp_path):
    result = run(["cdp", "validate", "--out", str(tmp_path / "gx"), "--batch-rows", "4096"],
                 generated_db)
    assert "12/12 tables passed" in result.stdout
    # small batches: the large tables were read in several data frames
    assert "batch(es)" in result.stdout and " 1 batch(es)" not in result.stdout.split(
        "tracking_events")[1].splitlines()[0]
    assert (tmp_path / "gx" / "gx" / "uncommitted" / "data_docs" / "local_site"
            / "index.html").is_file()
