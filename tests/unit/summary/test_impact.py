from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import yaml

from reach import build
from reach import config as config_mod
from reach.errors import InputValidationError
from reach.estimate import counterfactual, outtakes
from reach.estimate.campaigns import campaign_windows
from reach.report import sentences as report_sentences
from reach.summary import impact as summary_impact
from tests.conftest import REPO_ROOT

REPO = REPO_ROOT


# ---------------------------------------------------------------------------------------
# The bundled synthetic sample: planted effects inside the reported intervals
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_impact(tmp_path_factory):

    sample = config_mod.sample_dir()
    truth = json.loads((sample / "ground_truth.json").read_text())
    month = truth["sample_month"]
    settings = config_mod.load_config()
    built = build.build(
        month, sample / "raw", tmp_path_factory.mktemp("processed"), sample / "reference", settings
    )
    settings = dict(settings)
    codebook = yaml.safe_load((REPO / "config" / "codebook.yaml").read_text(encoding="utf-8"))
    settings["impact"] = {**dict(settings.get("impact") or {}), "codebook": codebook}
    tables = dict(built.tables)
    snapshot = {name: frame.copy() for name, frame in tables.items()}
    summary = summary_impact.impact_summary(tables, month, settings)
    return truth, summary, tables, snapshot


class TestBundledSample:
    def test_every_planted_campaign_effect_is_inside_its_interval(self, sample_impact):
        truth, summary, _, _ = sample_impact
        rows = {row["campaign"]: row for row in summary["counterfactual"]}
        end = pd.Timestamp(truth["sample_month"] + "-01") + pd.offsets.MonthEnd(0)
        inside = [c for c in truth["campaigns"] if pd.Timestamp(c["start"]) <= end]
        assert inside and set(rows) == {c["campaign_id"] for c in inside}
        for campaign in inside:
            row = rows[campaign["campaign_id"]]
            assert row["rel_low"] <= campaign["true_rel_effect_web_daily_views"] <= row["rel_high"], campaign[
                "campaign_id"
            ]

    def test_web_its_covers_the_planted_uplift(self, sample_impact):
        truth, summary, _, _ = sample_impact
        rows = {row["series"]: row for row in summary["its"]}
        for campaign in truth["campaigns"]:
            row = rows[f"web_daily_views:{campaign['campaign_id']}"]
            assert row["low"] <= campaign["planted_web_uplift"] <= row["high"], campaign["campaign_id"]

    def test_partner_step_is_inside_the_its_interval(self, sample_impact):
        truth, summary, _, _ = sample_impact
        step = truth["partner_indicator_step"]
        # The planted +5 points as a rate ratio at the step month: p is the denominator-weighted
        # mean over districts of baseline(2024-01) + 0.08 points × months since January 2024.
        k = (int(step["first_month"][:4]) - 2024) * 12 + int(step["first_month"][5:7]) - 1
        weights: dict[str, float] = {}
        for month in truth["months"].values():
            for code, cell in month["partner_indicator"].items():
                weights[code] = weights.get(code, 0) + cell["denominator"]
        total = sum(weights.values())
        p = sum(
            w / total * (step["baseline_proportion_2024_01"][c] + step["trend_pp_per_month"] / 100 * k)
            for c, w in weights.items()
        )
        planted = (p + step["true_change_pp"] / 100) / p
        row = next(r for r in summary["its"] if r["series"] == f"partner:{step['indicator']}")
        assert row["low"] <= planted <= row["high"]

    def test_outtakes_cover_the_planted_rates(self, sample_impact):
        truth, summary, _, _ = sample_impact
        planted = truth["months"][truth["sample_month"]]["feedback"]
        for measure, key in (
            ("helpful", "true_helpful_rate"),
            ("key_messages", "true_key_messages_rate"),
            ("intends_change", "true_intends_change_rate"),
        ):
            leaf = summary["outtakes"][measure]["overall"]
            if leaf["estimate"] is None:  # withheld: 1-7 people said yes, or 1-7 did not (NHS rule)
                continue
            assert leaf["low"] <= planted[key] <= leaf["high"], measure

    def test_contract_shapes(self, sample_impact):
        _, summary, _, _ = sample_impact
        json.dumps(summary, allow_nan=False)
        for key in ("engagement", "outtakes", "its", "counterfactual"):
            assert key in summary
        for row in summary["its"]:
            web = row["series"].startswith("web_daily_views:")
            campaign_keys = {"primary", "calibration", "kind", "assumptions"}
            assert set(row) == {"series", "rate_ratio", "low", "high", "method"} | (
                campaign_keys if web else set()
            )
        for row in summary["counterfactual"]:
            assert list(row) == [
                "campaign", *counterfactual.COUNTERFACTUAL_KEYS, "primary", "placebo", "mde", "calibration",
                "kind", "assumptions",
            ]  # fmt: skip
            assert set(row["calibration"]) == {"fake_starts", "scale", "largest", "applied", "calibrated"}
            # The sample's baselines are 130-195 days: at least 7 fourteen-day fake starts each.
            assert row["calibration"]["calibrated"] and row["calibration"]["fake_starts"] >= 7
            assert row["calibration"]["applied"] >= 1
            assert row["kind"] == "estimate" and any("spill-over" in a for a in row["assumptions"])
            assert set(row["placebo"]) == {"in_time", "pages", "pages_excluding_zero", "finds_effect"}
            assert row["placebo"]["in_time"]["reason"] is None and len(row["placebo"]["pages"]) == 3
            assert set(row["mde"]) == {"rel_effect", "power"} and row["mde"]["rel_effect"] > 0
        for measure in outtakes.MEASURE_LABELS:
            block = summary["outtakes"][measure]
            leaves = [
                block["overall"],
                block["previous_month"],
                *block["by_respondent_type"].values(),
                *block["by_district"].values(),
            ]
            assert all(set(leaf) == {"estimate", "low", "high", "n"} for leaf in leaves)
        assert summary["themes"]["sources"]["feedback_form"]["themes"]
        sentences = report_sentences.impact_sentences(summary)
        assert len(sentences) >= 10

    def test_processed_tables_not_changed(self, sample_impact):
        _, _, tables, snapshot = sample_impact
        for name, frame in snapshot.items():
            pd.testing.assert_frame_equal(tables[name], frame)


# ---------------------------------------------------------------------------------------
# One prespecified answer per campaign
# ---------------------------------------------------------------------------------------


class TestPrimaryAnswer:
    def test_the_primary_flag_follows_campaigns_csv(self, sample_impact):
        _, summary, tables, _ = sample_impact
        table = tables["reference_campaigns"]
        chosen = dict(zip(table["campaign_id"], table["primary_method"], strict=True))
        assert sorted(chosen.values()) == ["counterfactual"] * 3 + ["time_series"]
        its = {
            r["series"].split(":", 1)[1]: r
            for r in summary["its"]
            if r["series"].startswith("web_daily_views:")
        }
        for row in summary["counterfactual"]:
            method = chosen[row["campaign"]]
            assert row["primary"] is (method == "counterfactual")
            assert its[row["campaign"]]["primary"] is (method == "time_series")
        for window in summary["campaigns"]:
            assert window["primary_method"] == chosen[window["campaign"]] and window["prespecified"]
            assert window["primary_outcome"] == "campaign_page_views"
            assert window["agreement"]["agree"] in (True, False)
        assert not any("not prespecified" in note for note in summary["notes"])

    def test_blank_primary_defaults_to_the_counterfactual_with_a_note(self, sample_impact):
        _, _, tables, _ = sample_impact
        changed = dict(tables)
        changed["reference_campaigns"] = tables["reference_campaigns"].drop(columns=["primary_method"])
        summary = summary_impact.impact_summary(changed, "2026-10")
        assert all(row["primary"] for row in summary["counterfactual"])
        assert not any(r.get("primary") for r in summary["its"])
        assert sum("not prespecified" in note for note in summary["notes"]) == len(summary["campaigns"])

    def test_unknown_primary_method_is_a_clear_error(self, sample_impact):
        _, _, tables, _ = sample_impact
        changed = dict(tables)
        frame = tables["reference_campaigns"].copy()
        frame.loc[frame.index[1], "primary_method"] = "ITS"
        changed["reference_campaigns"] = frame
        with pytest.raises(
            InputValidationError, match=r"reference/campaigns.csv, line 3, column 'primary_method'"
        ):
            summary_impact.impact_summary(changed, "2026-10")


class TestOverlappingCampaignResults:
    def test_campaign_in_the_gap_is_missing_and_the_placebo_uses_the_clean_baseline(self):
        # A (1-20 March) was running when B began (10 March): B's baseline ends on 28 February,
        # and 1-9 March are missing in its models.
        rng = np.random.default_rng(31)
        days = pd.date_range("2024-10-01", "2025-03-31", freq="D")
        daily = pd.DataFrame(
            {page: rng.poisson(mean, len(days)).astype(float) for page, mean in
             (("pa", 20), ("pb", 30), ("c1", 60), ("c2", 40))},
            index=days,
        )  # fmt: skip
        daily.loc["2025-03-10":"2025-03-23", "pb"] *= 1.5
        table = pd.DataFrame(
            {"campaign_id": ["a", "b"], "name": ["A", "B"], "start": ["2025-03-01", "2025-03-10"],
             "end": ["2025-03-20", "2025-03-23"], "utm_campaign": ["ua", "ub"],
             "primary_method": ["counterfactual", "time_series"]}
        )  # fmt: skip
        assets = pd.DataFrame(
            {
                "asset_id": ["pa", "pb", "c1", "c2"],
                "type": ["web_page"] * 4,
                "campaign_tags": ["ua", "ub", "", ""],
            }
        )
        windows = campaign_windows(table, days[0], days[-1])
        opts = config_mod.impact_settings({})
        notes: list[str] = []
        its_rows: list[dict] = []
        rows = summary_impact._campaign_effects(
            {"reference_assets": assets}, "2025-03", table, daily, windows, opts, its_rows, notes
        )
        b = next(w for w in windows if w["campaign"] == "b")
        assert b["baseline_gap"] == {"start": "2025-03-01", "end": "2025-03-09", "campaigns": ["a"]}
        row = next(r for r in rows if r["campaign"] == "b")
        its = next(r for r in its_rows if r["series"] == "web_daily_views:b")
        assert not row["primary"] and its["primary"]  # B chose the time series
        assert "151 days before the campaign" in its["method"]  # 1 October to 28 February
        assert row["placebo"]["in_time"]["post_end"] == "2025-02-28"
        assert [p["page"] for p in row["placebo"]["pages"]] == ["c1", "c2"]
        assert row["rel_low"] <= 0.5 <= row["rel_high"]
        assert any(
            n.startswith("b: its baseline ends on 2025-02-28; 2025-03-01 to 2025-03-09") for n in notes
        )
        assert any(n.startswith("b: campaign(s) a ran on some of the same days") for n in notes)


# ---------------------------------------------------------------------------------------
# Multiplicity: the month's tests judged together
# ---------------------------------------------------------------------------------------


def _judged_summary() -> dict:
    def change(estimate, p_value):
        return {"estimate": estimate, "low": None, "high": None, "p_value": p_value}

    def trend(ratio, p_value):
        return {"odds_ratio_per_month": ratio, "low": None, "high": None, "p_value": p_value}

    return {
        "outtakes": {
            "helpful": {"change": change(None, None), "trend": trend(1.05, 0.03)},
            "key_messages": {"change": change(0.2, 0.001), "trend": trend(None, None)},
            "intends_change": {"change": change(0.15, 0.004), "trend": trend(0.97, 0.5)},
        },
        "engagement": {
            "rate_changes": [
                {"test": "engagement_rate.all.vs_previous_month", "estimate": 0.01, "p_value": None,
                 "verdict": "descriptive"},
            ]
        },
        "its": [{"series": "partner:x", "rate_ratio": 1.1, "low": 1.0, "high": 1.2, "method": ""}],
        "counterfactual": [{"campaign": "c1", "rel_effect": -0.3, "p_value": 0.002, "primary": True}],
    }  # fmt: skip


class TestMultiplicity:
    def test_family_q_values_and_verdicts_written_back(self):
        summary = _judged_summary()
        its_before = json.dumps(summary["its"]) + json.dumps(summary["counterfactual"])
        opts = {"level": 0.95, "primary_comparisons": ["key_messages.change", "helpful.change"]}
        family = summary_impact._multiplicity(summary, opts)
        # Family (m = 5, p-valued only): key_messages.change 0.001, intends_change.change 0.004,
        # counterfactual:c1 0.002, helpful.trend 0.03, intends_change.trend 0.5.
        # Step-up by hand: sorted 0.001, 0.002, 0.004, 0.03, 0.5 → 5p/i = 0.005, 0.005, 0.00667,
        # 0.0375, 0.5 → q = 0.005, 0.005, 0.00667, 0.0375, 0.5.
        rows = {row["test"]: row for row in family["tests"]}
        assert set(rows) == {
            "key_messages.change", "intends_change.change", "counterfactual:c1", "helpful.trend",
            "intends_change.trend",
        }  # fmt: skip
        assert rows["key_messages.change"]["q_value"] == pytest.approx(0.005)
        assert rows["intends_change.change"]["q_value"] == pytest.approx(0.02 / 3)
        assert rows["helpful.trend"]["q_value"] == pytest.approx(0.0375)
        # Primary and small q: a rise. The same size of q, not prespecified: consistent with chance.
        key = summary["outtakes"]["key_messages"]["change"]
        assert (key["verdict"], key["primary"], key["test"]) == ("rise", True, "key_messages.change")
        intends = summary["outtakes"]["intends_change"]["change"]
        assert (intends["verdict"], intends["primary"]) == ("consistent with chance", False)
        assert summary["outtakes"]["helpful"]["trend"]["verdict"] == "consistent with chance"
        # A campaign's own prespecified answer is primary; its row is read, never changed.
        assert rows["counterfactual:c1"]["verdict"] == "fall" and rows["counterfactual:c1"]["primary"]
        assert json.dumps(summary["its"]) + json.dumps(summary["counterfactual"]) == its_before
        # Untested: a withheld change, a trend without a test, a descriptive engagement change.
        assert summary["outtakes"]["helpful"]["change"]["verdict"] == "not comparable"
        assert summary["outtakes"]["key_messages"]["trend"]["verdict"] == "not tested"
        engaged = summary["engagement"]["rate_changes"][0]
        assert engaged["verdict"] == "descriptive" and engaged["q_value"] is None
        assert family["primary_not_tested"] == ["helpful.change"]
        assert family["primary"] == ["key_messages.change", "helpful.change", "counterfactual:c1"]

    def test_sample_month_has_the_block_and_no_clear_change_outside_the_primaries(self, sample_impact):
        _, summary, _, _ = sample_impact
        family = summary["multiplicity"]
        assert {"method", "level", "tests", "primary", "tests_in_family"} <= set(family)
        assert family["tests_in_family"] == len(family["tests"]) >= 4
        for row in family["tests"]:
            assert set(row) == {"test", "p_value", "q_value", "primary", "verdict"}
            assert row["q_value"] >= row["p_value"]
            if not row["primary"]:
                assert row["verdict"] == "consistent with chance"
        # The exports hold no daily engaged sessions, so every engagement-rate change is descriptive.
        changes = summary["engagement"]["rate_changes"]
        assert changes and all(r["verdict"] == "descriptive" and r["p_value"] is None for r in changes)
        json.dumps(family, allow_nan=False)


class TestFeedbackShareDisclosure:
    def test_helpful_shares_withheld_when_a_small_complement_could_be_worked_back(self, sample_impact):
        # The month's form answers made 7 "No" and the rest "Yes" (at least 8): shown beside a
        # rounded n, the share would reveal the 7. The page widget gets 3 "no". With every answer
        # "Yes" nobody is hidden (0 is not a small count) and the share is shown.
        from reach.summary import monthly

        truth, _, tables, _ = sample_impact
        month = truth["sample_month"]
        changed = dict(tables)
        form = tables["feedback"].copy()
        rows = form.index[form["month"] == month]
        assert len(rows) >= 15
        form.loc[rows, "helpful"] = ["Yes"] * (len(rows) - 7) + ["No"] * 7
        page = tables["page_feedback"].copy()
        page_rows = page.index[page["month"] == month]
        assert len(page_rows) >= 11
        page.loc[page_rows, "helpful"] = [True] * (len(page_rows) - 3) + [False] * 3
        changed["feedback"], changed["page_feedback"] = form, page
        result = monthly.monthly_summary(changed, month, True, config_mod.load_config())
        for block in (result["feedback"]["helpful"], result["page_feedback"]["helpful"]):
            assert [block[k] for k in ("estimate", "low", "high", "suppressed")] == [None, None, None, True]
        assert result["impact"]["outtakes"]["helpful"]["overall"]["estimate"] is None
        form.loc[rows, "helpful"] = "Yes"
        changed["feedback"] = form
        result = monthly.monthly_summary(changed, month, True, config_mod.load_config())
        assert result["feedback"]["helpful"]["estimate"] == 1.0
        assert result["impact"]["outtakes"]["helpful"]["overall"]["estimate"] == 1.0


# ---------------------------------------------------------------------------------------
# Quotes reach the report only once approved
# ---------------------------------------------------------------------------------------

# printf '%s' 'cot two' | sha256sum
COT_TWO_SHA256 = "639314f4bd199a445b9e038899fe2704c3b761e5b49b214aaa88faf4e267dabb"
QUOTE_SETTINGS = {
    "impact": {
        "codebook": {"Cot": ["cot"], "Sofa": ["sofa"], "Swaddling": ["swaddl*"]},
        "themes_months": 1,
        "themes_min_n": 2,
        "themes_max_quotes": 2,
        "approved_quotes": [COT_TWO_SHA256],
    }
}


def _comment_tables() -> dict[str, pd.DataFrame]:
    comments = ["cot one", "cot two", "cot three", "sofa nap", "sofa again", "swaddled", "older cot"]
    months = ["2026-10"] * 6 + ["2026-09"]  # the last is outside a one-month window
    return {"feedback": pd.DataFrame({"month": months, "comment": comments})}


class TestThemeQuotes:
    def test_only_approved_quotes_are_kept_and_unapproved_themes_say_so(self):
        opts = config_mod.impact_settings(QUOTE_SETTINGS)
        themes = summary_impact._themes(_comment_tables(), "2026-10", opts)
        rows = {t["theme"]: t for t in themes["sources"]["feedback_form"]["themes"]}
        assert rows["Cot"]["quotes"] == ["cot two"] and rows["Cot"]["quotes_pending"] is False
        assert rows["Sofa"]["quotes"] == [] and rows["Sofa"]["quotes_pending"] is True
        # One comment: fewer than themes_min_n, so never a candidate and nothing pending.
        assert rows["Swaddling"]["quotes"] == [] and rows["Swaddling"]["quotes_pending"] is False

    def test_nothing_approved_means_no_quote_anywhere(self):
        settings = {"impact": {**QUOTE_SETTINGS["impact"], "approved_quotes": None}}
        themes = summary_impact._themes(_comment_tables(), "2026-10", config_mod.impact_settings(settings))
        assert all(not t["quotes"] for t in themes["sources"]["feedback_form"]["themes"])


class TestQuoteCandidates:
    def test_lists_every_candidate_with_its_hash_and_approval(self):
        frame = summary_impact.quote_candidates(_comment_tables(), "2026-10", QUOTE_SETTINGS)
        assert frame["text"].tolist() == ["cot one", "cot two", "cot three", "sofa nap", "sofa again"]
        assert frame["theme"].tolist() == ["Cot"] * 3 + ["Sofa"] * 2
        assert frame["comments"].tolist() == [3, 3, 3, 2, 2]
        assert frame["approved"].tolist() == [False, True, False, False, False]
        # printf '%s' 'sofa nap' | sha256sum
        assert frame.loc[3, "sha256"] == "e7f06639c10c9f6ca30dff87f1b3ddcdc8c57ef2333f3390118e0b049d132f34"
        assert frame.loc[1, "sha256"] == COT_TWO_SHA256

    def test_no_codebook_gives_no_candidate(self):
        frame = summary_impact.quote_candidates(_comment_tables(), "2026-10", {})
        assert frame.empty and "sha256" in frame.columns
