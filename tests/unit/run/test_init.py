"""``reach init``: starter reference tables that reach reads as they are, never written over a file."""

from __future__ import annotations

import pandas as pd
import pytest

from reach.build import read_reference
from reach.errors import ReachError
from reach.estimate.geography import births_in_period
from reach.run import cli as run_cli
from reach.run.init import STARTERS, reference_readme, starter_tables, write_starter
from reach.tidy.assets import REGISTRY_COLUMNS, match_assets, parse_registry

ALL = ["assets.csv", "campaigns.csv", "births.csv", "README.md"]


class TestStarterTables:
    def test_columns_are_the_ones_reach_reads_with_one_example_row(self):
        tables = starter_tables()
        assert list(tables) == ["assets.csv", "campaigns.csv", "births.csv"]
        assert tables["assets.csv"].splitlines()[0] == ",".join(REGISTRY_COLUMNS)
        assert tables["campaigns.csv"].splitlines()[0] == (
            "campaign_id,name,start,end,channels,utm_campaign,description,primary_outcome,primary_method"
        )
        assert tables["births.csv"].splitlines()[0] == "year,area_code,area_name,live_births,status,source"
        for text in tables.values():
            assert len(text.splitlines()) == 2

    def test_readme_documents_every_column(self):
        readme = reference_readme()
        for starter in STARTERS:
            assert f"## {starter.name}" in readme
            for name, _ in starter.columns:
                assert f"| `{name}` |" in readme


class TestWriteStarter:
    def test_written_tables_are_read_by_the_pipeline(self, tmp_path):
        folder = tmp_path / "config" / "reference"
        written = write_starter(folder)
        assert [p.name for p in written] == ALL
        tables = read_reference(folder)  # as reach run reads them (campaign values checked too)
        ids = parse_registry(tables["assets"], source="assets.csv")
        pages = pd.DataFrame({"page_path": ["/baby-sleep/safer-sleep/", "/baby-sleep/safer-sleep/twins"]})
        assert list(match_assets(pages, "page_path", "path", ids)["asset_id"]) == ["safer-sleep-web"] * 2
        births = births_in_period(tables["births"], ["2026-10"])
        # The example figure is a placeholder: the report is told the births are illustrative.
        assert births["district_status"] == "illustrative"
        assert any("illustrative" in note for note in births["notes"])

    def test_refuses_to_overwrite_and_writes_nothing(self, tmp_path):
        (tmp_path / "births.csv").write_text("mine\n")
        with pytest.raises(ReachError, match="births.csv already exists"):
            write_starter(tmp_path)
        assert (tmp_path / "births.csv").read_text() == "mine\n"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["births.csv"]


class TestInitCommand:
    def test_writes_and_says_what_to_fill_in(self, tmp_path, capsys):
        folder = tmp_path / "reference"
        assert run_cli.main(["init", "--reference", str(folder)]) == 0
        out = capsys.readouterr().out
        for name in ALL:
            assert f"wrote {folder / name}" in out
        assert "Fill in" in out and "reach run --month YYYY-MM" in out
        assert f"{(folder / 'births.csv').as_posix()}: Norfolk's live births per year" in out

    def test_second_run_is_refused_in_one_line(self, tmp_path, capsys):
        folder = tmp_path / "reference"
        assert run_cli.main(["init", "--reference", str(folder)]) == 0
        before = {p.name: p.read_bytes() for p in folder.iterdir()}
        capsys.readouterr()
        assert run_cli.main(["init", "--reference", str(folder)]) == 1
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("reach: error:") and "already exist" in err[0]
        assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
