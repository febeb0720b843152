"""Each campaign's prespecified primary outcome and method, read and checked from campaigns.csv."""

from __future__ import annotations

import pandas as pd
import pytest

from reach import build
from reach.errors import InputValidationError
from reach.tidy import campaigns as tidy_campaigns


class TestPrimaries:
    def test_the_primary_follows_the_table_and_blank_is_not_prespecified(self):
        table = pd.DataFrame(
            {
                "campaign_id": ["a", "b", "c"],
                "primary_outcome": ["campaign_page_views", "", "campaign_page_views"],
                "primary_method": ["time_series", "", " Counterfactual "],
            }
        )
        primaries = tidy_campaigns.campaign_primaries(table)
        assert primaries["a"] == {
            "primary_outcome": "campaign_page_views",
            "primary_method": "time_series",
            "prespecified": True,
        }
        assert primaries["b"]["primary_method"] == "counterfactual" and not primaries["b"]["prespecified"]
        assert primaries["c"]["primary_method"] == "counterfactual" and primaries["c"]["prespecified"]

    def test_an_older_table_without_the_columns(self):
        primaries = tidy_campaigns.campaign_primaries(pd.DataFrame({"campaign_id": ["a"], "name": ["A"]}))
        assert primaries == {
            "a": {
                "primary_outcome": "campaign_page_views",
                "primary_method": "counterfactual",
                "prespecified": False,
            }
        }

    def test_an_unknown_method_is_a_one_line_error_naming_file_line_and_column(self):
        table = pd.DataFrame({"campaign_id": ["a", "b"], "primary_method": ["counterfactual", "its"]})
        with pytest.raises(InputValidationError) as caught:
            tidy_campaigns.campaign_primaries(table)
        message = str(caught.value)
        assert "\n" not in message
        assert message.startswith("reference/campaigns.csv, line 3, column 'primary_method', value 'its': ")
        assert "expected one of counterfactual, time_series" in message
        assert (caught.value.row, caught.value.column) == (3, "primary_method")


def test_the_build_refuses_an_unknown_primary_method_before_anything_runs(tmp_path):
    for name, text in {
        "assets.csv": "asset_id,title\n",
        "births.csv": "year,area_code,area_name,live_births,status,source\n",
        "campaigns.csv": "campaign_id,name,start,end,primary_outcome,primary_method\n"
        "a,A,2026-01-01,2026-01-14,campaign_page_views,its\n",
    }.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(InputValidationError, match="expected one of counterfactual, time_series") as err:
        build.read_reference(tmp_path)
    assert (err.value.row, err.value.column) == (2, "primary_method")
