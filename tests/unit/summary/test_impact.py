from __future__ import annotations

import json

import pandas as pd
import pytest
import yaml

from reach import build
from reach import config as config_mod
from reach.estimate import counterfactual, outtakes
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
            assert leaf["low"] <= planted[key] <= leaf["high"], measure

    def test_contract_shapes(self, sample_impact):
        _, summary, _, _ = sample_impact
        json.dumps(summary, allow_nan=False)
        for key in ("engagement", "outtakes", "its", "counterfactual"):
            assert key in summary
        for row in summary["its"]:
            assert set(row) == {"series", "rate_ratio", "low", "high", "method"}
        for row in summary["counterfactual"]:
            assert list(row) == ["campaign", *counterfactual.COUNTERFACTUAL_KEYS]
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
