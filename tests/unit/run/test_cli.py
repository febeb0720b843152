"""The command line's ``sample`` subcommand with ``--bigquery-events``."""

from __future__ import annotations

import json

import pytest

from reach.ingest.read import read_export
from reach.run import cli as run_cli
from reach.sample.generate import SAMPLE_MONTH


class TestSampleBigqueryEvents:
    def test_export_is_written_beside_the_sample(self, tmp_path, capsys):
        out = tmp_path / "sample"
        assert run_cli.main(["sample", "--out", str(out), "--bigquery-events", "120", "--seed", "7"]) == 0
        target = out / "bigquery" / f"events_{SAMPLE_MONTH.replace('-', '')}.json"
        lines = target.read_text().splitlines()
        assert len(lines) == 120
        assert {json.loads(line)["event_date"][:6] for line in lines} == {SAMPLE_MONTH.replace("-", "")}
        printed = capsys.readouterr()
        assert printed.out.splitlines() == [str(out), str(target)]
        assert "120 events" in printed.err
        assert (out / "raw").is_dir()  # the sample itself is there too
        assert not [p for p in (out / "raw").rglob("events_*")]  # and its raw tree is unchanged
        assert read_export(target).kind == "ga4_bigquery"

    def test_without_the_option_no_export(self, tmp_path):
        out = tmp_path / "sample"
        assert run_cli.main(["sample", "--out", str(out)]) == 0
        assert not (out / "bigquery").exists()

    @pytest.mark.parametrize("value", ["-1", "many"])
    def test_bad_count_is_a_usage_error_before_any_work(self, tmp_path, capsys, value):
        out = tmp_path / "sample"
        with pytest.raises(SystemExit) as info:
            run_cli.main(["sample", "--out", str(out), "--bigquery-events", value])
        assert info.value.code == 2
        assert "--bigquery-events" in capsys.readouterr().err
        assert not out.exists()
