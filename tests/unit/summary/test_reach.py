from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from reach import build
from reach import config as config_mod
from reach import store as store_mod
from reach.config import sample_dir
from reach.core import disclosure
from reach.report import sentences as report_sentences
from reach.summary import reach as reach_summary_mod

LOOKUP_CSV = config_mod.project_root() / "config" / "town_districts.csv"


@pytest.fixture(scope="module")
def lookup_frame() -> pd.DataFrame:
    return pd.read_csv(LOOKUP_CSV)


# ---------------------------------------------------------------------------------------------
# The bundled sample: the planted truth lies inside every reported interval
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_summary(tmp_path_factory, lookup_frame):
    base = tmp_path_factory.mktemp("audience-sample")
    truth = json.loads((sample_dir() / "ground_truth.json").read_text())
    month = truth["sample_month"]
    settings = config_mod.load_config()
    build.build(month, sample_dir() / "raw", base, sample_dir() / "reference", settings)

    tables = store_mod.load_processed(base / month)
    summary = reach_summary_mod.reach_summary(tables, month, settings, town_districts=lookup_frame)
    details = reach_summary_mod.reach_details(tables, month, settings, town_districts=lookup_frame)
    return summary, details, truth["months"][month], month, tables


def _inside(value, interval) -> bool:
    return interval["low"] - 1e-9 <= value <= interval["high"] + 1e-9


class TestBundledSample:
    def test_contract_every_headline_figure_says_what_it_is(self, sample_summary):
        summary, _, _, month, _ = sample_summary
        kinds = {"estimate", "bound", "not measured"}
        assert set(summary) == {
            "period", "channels", "combined", "norfolk_share", "coverage", "responding_parents",
            "by_district", "sensitivity",
        }  # fmt: skip
        assert summary["period"] == {"start": f"{month}-01", "end": f"{month}-31"}
        assert set(summary["channels"]) == {"web", "video", "social"}
        for r in [*summary["channels"].values(), summary["combined"]]:
            assert {"estimate", "low", "high", "method", "kind", "assumptions", "window"} <= set(r)
            assert r["kind"] in kinds and r["method"] and r["window"]
            assert all(isinstance(a, str) and a for a in r["assumptions"])
            if r["kind"] == "bound":
                assert r["estimate"] is None and r["low"] <= r["high"]
        for block in (summary["norfolk_share"], summary["coverage"]):
            assert block["kind"] in kinds and isinstance(block["assumptions"], list)
        assert summary["combined"]["kind"] == "bound"  # the overlap between channels is not measured
        assert [d["code"] for d in summary["by_district"]] == [f"E0700014{i}" for i in range(3, 10)]
        for d in summary["by_district"]:
            assert set(d) == {"district", "code", "reach", "coverage"}
            assert d["reach"]["kind"] == d["coverage"]["kind"] in kinds
            births = d["coverage"]["births_in_period"]
            for value in (d["reach"]["estimate"], d["reach"]["low"], d["reach"]["high"]):
                # rounded to the NHS rule's base, or kept at the district's births
                assert value is None or value % 5 == 0 or value == births
            assert d["reach"]["high"] is None or d["reach"]["high"] <= births  # no more families than births
        json.dumps(summary)  # serialisable as it stands

    @pytest.mark.parametrize("channel", ["web", "video", "social"])
    def test_planted_channel_reach_is_inside(self, sample_summary, channel):
        summary, _, truth, _, _ = sample_summary
        assert _inside(truth["reach"][channel], summary["channels"][channel])

    def test_planted_combined_reach_is_inside_its_bound(self, sample_summary):
        summary, _, truth, _, _ = sample_summary
        assert _inside(truth["reach"]["combined"], summary["combined"])

    def test_planted_norfolk_share_is_inside(self, sample_summary):
        summary, _, truth, _, _ = sample_summary
        assert _inside(truth["norfolk_share_web"], summary["norfolk_share"])

    def test_planted_coverage_of_any_asset_is_inside(self, sample_summary):
        summary, _, truth, _, _ = sample_summary
        assert summary["coverage"]["kind"] in ("estimate", "bound")  # the sample has a recall return
        assert _inside(truth["coverage_any_asset"]["county"], summary["coverage"])
        # 7,200 a year pro-rated to 31 days
        assert summary["coverage"]["births_in_period"] == round(7200 * 31 / 365)

    def test_planted_district_coverage_is_inside(self, sample_summary):
        summary, _, truth, _, _ = sample_summary
        for d in summary["by_district"]:
            if d["coverage"]["kind"] != "not measured":
                assert _inside(truth["coverage_any_asset"]["by_district"][d["code"]], d["coverage"]), d[
                    "district"
                ]

    def test_details_carry_frequency_not_set_and_the_survey_sensitivities(self, sample_summary):
        summary, details, truth, _, _ = sample_summary
        assert details["norfolk"]["not_set_users"] > 0
        assert details["channels"]["video"]["frequency"]["estimate"] == pytest.approx(
            truth["volumes"]["video_views"] / truth["reach"]["video"]
        )
        assert details["combined_random"]["method"].startswith("random duplication (random)")
        assert details["combined_survey"]["loglinear"]["method"].startswith("log-linear")
        assert details["periods"]["fytd"]["web"]["reach"]["method"].startswith("bounds from monthly exports")
        scenarios = [row["scenario"] for row in summary["sensitivity"]["combined"]]
        assert scenarios[:2] == [
            "channels overlap completely (largest channel)", "channels never overlap (sum of channels)",
        ]  # fmt: skip
        assert any(s.startswith("survey-based de-duplication, all respondents") for s in scenarios)

    def test_sentences_never_show_a_number_without_its_interval(self, sample_summary):
        summary, _, _, _, _ = sample_summary
        sentences = report_sentences.reach_sentences(summary)
        assert len(sentences) >= 6
        for sentence in sentences:
            text = re.sub(
                r"\b(January|February|March|April|May|June|July|August|September|October|November|"
                r"December) \d{4}\b",
                "",
                sentence,
            )
            if re.search(r"\d", text):
                assert "between" in text.lower() or "interval is" in text, sentence

    def test_without_survey_recall_or_town_table_it_says_not_measured(self, sample_summary, lookup_frame):
        _, _, truth, month, tables = sample_summary
        reduced = dict(tables)
        reduced["feedback"] = tables["feedback"].iloc[0:0]
        reduced.pop("web_city")
        reduced.pop("hv_recall", None)
        summary = reach_summary_mod.reach_summary(
            reduced, month, config_mod.load_config(), town_districts=lookup_frame
        )
        assert summary["combined"]["kind"] == "bound"
        assert _inside(truth["reach"]["combined"], summary["combined"])
        cov = summary["coverage"]
        assert (cov["kind"], cov["estimate"], cov["low"], cov["high"]) == ("not measured", None, None, None)
        assert all(d["coverage"]["kind"] == "not measured" for d in summary["by_district"])
        assert summary["responding_parents"]["kind"] == "not measured"
        assert summary["norfolk_share"]["kind"] == "not measured"
        assert "page users" in summary["channels"]["web"]["method"]
        assert _inside(truth["reach"]["web"], summary["channels"]["web"])
        assert any("not measured" in s for s in report_sentences.reach_sentences(summary))

    def test_missing_lookup_is_an_error_that_says_what_to_do(self, sample_summary):
        _, _, _, month, tables = sample_summary
        assert "reference_town_districts" in tables  # the pipeline stores the configured lookup
        without = {k: v for k, v in tables.items() if k != "reference_town_districts"}
        with pytest.raises(ValueError, match="town_districts.csv"):
            reach_summary_mod.reach_summary(without, month, config_mod.load_config())


class TestDistrictFigures:
    """A district's figures agree with each other and with its births, and hide what the NHS rule hides."""

    def test_upper_limit_never_exceeds_the_births(self):
        reach, cov = reach_summary_mod.district_figures(
            {"estimate": 85.9, "low": 40.2, "high": 118.0, "method": "m"},
            {"estimate": 0.876, "low": 0.56, "high": 0.999}, 98, 5,
        )  # fmt: skip
        assert (reach["low"], reach["estimate"], reach["high"]) == (40, 85, 98)
        assert "98 births" in reach["method"]
        assert cov == {"estimate": 0.876, "low": 0.56, "high": 0.999}

    def test_no_zero_families_beside_a_share_above_zero(self):
        # 0.4 % of 98 births = 0.39 families: rounds to 0, while the share says some were reached.
        reach, cov = reach_summary_mod.district_figures(
            {"estimate": 0.39, "low": 0.0, "high": 4.0, "method": "m"},
            {"estimate": 0.004, "low": 0.0, "high": 0.04}, 98, 5,
        )  # fmt: skip
        assert reach["estimate"] is None and cov["estimate"] is None
        assert (reach["low"], reach["high"]) == (0, 10)
        assert "rounds to 0" in reach["method"]

    def test_a_hidden_count_hides_the_share_it_could_be_worked_back_from(self):
        # 5 of 98 families would be hidden (1-7); 0.051 x 98 = 5 would give it away.
        reach, cov = reach_summary_mod.district_figures(
            {"estimate": 5.0, "low": 1.0, "high": 12.0, "method": "m"},
            {"estimate": 0.051, "low": 0.01, "high": 0.12}, 98, 5,
        )  # fmt: skip
        assert reach["estimate"] is None and cov["estimate"] is None
        assert (cov["low"], cov["high"]) == (0.01, 0.12)

    def test_a_true_zero_stays_zero(self):
        reach, cov = reach_summary_mod.district_figures(
            {"estimate": 0.0, "low": 0.0, "high": 3.0, "method": "m"},
            {"estimate": 0.0, "low": 0.0, "high": 0.03}, 98, 5,
        )  # fmt: skip
        assert reach["estimate"] == 0 and cov["estimate"] == 0.0


class TestDistrictRounding:
    """District counts follow the NHS rule: no 1-7 anywhere, others in 5s, limits outwards."""

    def test_ordinary_values_round_to_five_with_limits_outwards(self):
        r = disclosure._round_out({"estimate": 42.4, "low": 31.9, "high": 58.1, "method": "m"}, 5)
        assert r == {"estimate": 40, "low": 30, "high": 60, "method": "m"}

    def test_small_limits_move_outwards_past_one_to_seven(self):
        r = disclosure._round_out({"estimate": 12.0, "low": 6.0, "high": 21.0, "method": "m"}, 5)
        assert (r["low"], r["estimate"], r["high"]) == (0, 10, 25)
        r = disclosure._round_out({"estimate": 0.0, "low": 0.0, "high": 3.2, "method": "m"}, 5)
        assert (r["low"], r["estimate"], r["high"]) == (0, 0, 10)

    def test_small_estimate_is_hidden_and_the_method_says_why(self):
        r = disclosure._round_out({"estimate": 6.0, "low": 1.0, "high": 14.0, "method": "m"}, 5)
        assert r["estimate"] is None and (r["low"], r["high"]) == (0, 15)
        assert "not shown" in r["method"]


class TestCombinedBound:
    R = {"estimate": None, "method": "m"}

    def test_largest_channel_to_sum_of_channels_whatever_the_overlap(self):
        channels = {
            "web": {**self.R, "low": 700, "high": 1300},
            "video": {**self.R, "low": 500, "high": 500},
            "social": {**self.R, "low": 400, "high": 900},
        }
        b = reach_summary_mod.combined_bound(channels)
        assert (b["estimate"], b["low"], b["high"]) == (None, 700, 2700)
        # Complete overlap (everyone in the largest channel) and none (all distinct) both lie inside.
        assert b["low"] <= 700 and 700 + 500 + 400 <= b["high"]

    def test_a_channel_without_export_leaves_no_upper_limit(self):
        b = reach_summary_mod.combined_bound({"web": {**self.R, "low": 700, "high": 1300}, "video": None})
        assert (b["low"], b["high"]) == (700, None) and "no export for video" in b["method"]


class TestDistrictDisclosure:
    """A share from the feedback form's parents is shown only when neither side of it is 1 to 7."""

    @pytest.mark.parametrize(("online", "parents", "shown"), [(30, 40, 0.75), (35, 40, None), (3, 40, None)])
    def test_responding_parents_share_hides_a_small_count_on_either_side(self, online, parents, shown):
        out = reach_summary_mod.responding_parents({"online": online, "parents": parents}, 0.95)
        assert out["estimate"] == shown
        assert "responding" in out["label"] or "answering" in out["label"]
