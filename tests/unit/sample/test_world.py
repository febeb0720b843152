"""Tests for the knobs of the synthetic world (reach.sample.world.World) and what they plant.

Each knob is checked on small draws against what it must do by construction (a person on two
devices is two GA4 users; an asked family cannot recall more than it was asked about; a step
shifted by three months starts three months later), never against the output of the code under
test.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json

import numpy as np
import pytest

from reach.errors import ReachError
from reach.estimate.geography import DISTRICTS
from reach.sample.exports import _recall_cell
from reach.sample.generate import generate_sample
from reach.sample.simulate import (
    _campaign_uplift,
    _district_consent_offsets,
    _noise_series,
    _simulate_month,
    _traffic_noise,
    partner_step_month,
)
from reach.sample.survey import _recalled, _response_weights
from reach.sample.world import (
    _WEB,
    DEFAULT_WORLD,
    EXPOSURES,
    HOW_ARRIVED_OPTIONS,
    MODEL_WORLD,
    SCENARIOS,
    VIOLATIONS,
    World,
)

RECALL_HEADER = [
    "month",
    "district",
    "new_birth_visits",
    "families_asked",
    "recalled_any",
    "recalled_web",
    "recalled_video",
    "recalled_social",
    "recalled_leaflet",
]
HOW = "How did you get to this form?"
PAGES = "Pages_and_screens_Page_path_and_screen_class.csv"
CITY = "Demographic_details_Country.csv"


def sample(world: World, months: int = 1, seed: int = 11, end_month: str = "2026-10"):
    files = generate_sample(seed=seed, end_month=end_month, months=months, world=world)
    return files, json.loads(files["ground_truth.json"])


def ga4_rows(data: bytes) -> list[list[str]]:
    lines = data.decode("utf-8").split("\r\n")
    return list(csv.reader(io.StringIO("\n".join(lines[9:]))))[1:]


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def forms(files, month="2026-10"):
    (name,) = [k for k in files if k.startswith(f"raw/{month}/feedback/Safer sleep feedback")]
    rows = csv_rows(files[name])
    return rows[0], rows[1:]


class TestWorld:
    def test_default_world_breaks_the_listed_assumptions_a_little(self):
        w = DEFAULT_WORLD
        assert w == World()
        assert w.online_response_ratio > 1 and w.recruitment_channel is not None and w.recruitment_share > 0
        assert w.recall_misattribution > 0 and w.recall_previous_month > 0
        assert w.multi_device_share > 0 and w.consent_district_sd > 0
        assert w.burst_rate > 0
        assert w.hv_recall_sensitivity < 1 and w.hv_false_recall > 0
        # consent inside the configured 0.45-0.85 on average
        assert 0.45 < w.consent_range[0] and w.consent_range[1] < 0.85
        # the impact assumptions are left alone by default
        assert w.spillover == 0 and w.partner_step_shift_months == 0

    def test_model_world_assumes_everything_the_estimators_do(self):
        w = MODEL_WORLD
        assert (w.online_response_ratio, w.extra_channel_response_ratio) == (1.0, 1.0)
        assert w.recruitment_channel is None and w.recall_misattribution == 0 and w.recall_previous_month == 0
        assert w.older_baby_families == 0 and w.spillover == 0 and w.multi_device_share == 0
        assert w.traffic_ar1_sd == 0 and w.burst_rate == 0 and w.partner_step_shift_months == 0
        assert w.consent_district_sd == 0 and (w.hv_recall_sensitivity, w.hv_false_recall) == (1.0, 0.0)

    def test_scenarios(self):
        assert SCENARIOS["base"][1] == MODEL_WORLD and SCENARIOS["default_world"][1] == DEFAULT_WORLD
        assert len(VIOLATIONS) >= 8
        for name in VIOLATIONS:
            description, world = SCENARIOS[name]
            assert world != MODEL_WORLD and description, name

    @pytest.mark.parametrize(
        "kwargs",
        [
            {"recruitment_channel": "radio"},
            {"multi_device_share": 1.5},
            {"traffic_ar1": 1.0},
            {"hv_false_recall": -0.1},
        ],
    )
    def test_bad_knobs_refused(self, kwargs):
        with pytest.raises(ValueError):
            World(**kwargs)

    def test_generate_refuses_a_world_that_is_not_one(self):
        with pytest.raises(ReachError):
            generate_sample(months=1, world={"spillover": 0.5})

    def test_how_arrived_options_exact(self):
        assert HOW_ARRIVED_OPTIONS == (
            "A link on the Just One Norfolk website",
            "A YouTube video",
            "A Facebook or Instagram post",
            "A leaflet or QR code",
            "My health visitor or midwife",
            "Other",
        )
        assert len(EXPOSURES) == len(HOW_ARRIVED_OPTIONS)


class TestMultiDevice:
    def test_one_device_each_ga4_users_are_people(self):
        files, truth = sample(MODEL_WORLD)
        t = truth["months"]["2026-10"]
        assert t["reach"]["web_tracked_ga4_users"] == t["reach"]["web_tracked"]
        assert sum(int(r[1]) for r in ga4_rows(files["raw/2026-10/ga4/" + CITY])) == t["reach"]["web_tracked"]

    def test_everyone_on_several_devices_gives_more_users_than_people(self):
        files, truth = sample(dataclasses.replace(MODEL_WORLD, multi_device_share=1.0))
        t = truth["months"]["2026-10"]
        people, users = t["reach"]["web_tracked"], t["reach"]["web_tracked_ga4_users"]
        # two or three devices each: a person with one session is one user, so people < users <= 3 people
        assert people < users <= 3 * people
        assert sum(int(r[1]) for r in ga4_rows(files["raw/2026-10/ga4/" + CITY])) == users
        pages = {r[0]: int(r[2]) for r in ga4_rows(files["raw/2026-10/ga4/" + PAGES])}
        a = t["by_asset"]["cosleep-web"]
        assert (
            pages["/baby-sleep/co-sleeping-and-bed-sharing/"] == a["ga4_users_tracked"] > a["people_tracked"]
        )


class TestRecallReturn:
    def test_file_shape_and_count_order(self):
        files, truth = sample(DEFAULT_WORLD, months=2)
        for month in ("2026-09", "2026-10"):
            data = files[f"raw/{month}/health_visiting/hv_new_birth_recall_{month}.csv"]
            assert data.decode("utf-8").startswith(",".join(RECALL_HEADER) + "\n")
            rows = csv_rows(data)
            assert rows[0] == RECALL_HEADER
            assert [r[1] for r in rows[1:]] == [name for _, name in DISTRICTS]
            for r in rows[1:]:
                assert r[0] == month
                cells = dict(zip(RECALL_HEADER[2:], r[2:], strict=True))
                assert all(v == "*" or (v.isdigit() and not 1 <= int(v) <= 7) for v in cells.values())
                known = {k: int(v) for k, v in cells.items() if v != "*"}

                def le(a, b, known=known):
                    return a not in known or b not in known or known[a] <= known[b]

                for c in ("web", "video", "social", "leaflet"):
                    assert le(f"recalled_{c}", "recalled_any")
                assert le("recalled_any", "families_asked") and le("families_asked", "new_birth_visits")
            t = truth["months"][month]["recall_return"]["by_district"]
            for (code, _), r in zip(DISTRICTS, rows[1:], strict=True):
                for column, value in zip(RECALL_HEADER[2:], r[2:], strict=True):
                    assert value == _recall_cell(t[code][column])
                # visits are most of the month's newborn families, never more
                assert t[code]["new_birth_visits"] <= t[code]["newborn_families"]

    def test_suppression_of_one_to_seven(self):
        assert [_recall_cell(v) for v in (0, 1, 5, 7, 8, 120)] == ["0", "*", "*", "*", "8", "120"]
        # asking very few families leaves counts of 1 to 7, which must be written "*"
        files, truth = sample(dataclasses.replace(MODEL_WORLD, hv_asked_share=0.04))
        rows = csv_rows(files["raw/2026-10/health_visiting/hv_new_birth_recall_2026-10.csv"])[1:]
        assert any(c == "*" for r in rows for c in r[2:])
        assert not any(c.isdigit() and 1 <= int(c) <= 7 for r in rows for c in r[2:])

    def test_exact_recall_is_exposure(self):
        mo = _simulate_month(3, 2026, 10, MODEL_WORLD)
        for row in mo.recall_truth["by_district"].values():
            assert row["recalled_any"] == row["asked_reached_any_asset"]

    def test_recall_knobs_at_their_extremes(self):
        never = _simulate_month(3, 2026, 10, dataclasses.replace(MODEL_WORLD, hv_recall_sensitivity=0.0))
        always = _simulate_month(3, 2026, 10, dataclasses.replace(MODEL_WORLD, hv_false_recall=1.0))
        for r in never.recall_rows:
            assert r["recalled_any"] == 0
        for r in always.recall_rows:
            assert r["recalled_any"] == r["families_asked"] == r["recalled_web"] == r["recalled_leaflet"]

    def test_truth_is_counted_from_people(self):
        _, truth = sample(DEFAULT_WORLD)
        t = truth["months"]["2026-10"]
        nb = t["newborn_families_reached"]
        assert t["coverage_any_asset"]["county"] == round(nb["any_asset"] / t["births"], 4)
        assert max(nb["combined"], nb["leaflet"]) <= nb["any_asset"] <= nb["combined"] + nb["leaflet"]
        assert t["recall_return"]["county"]["reached_any_asset"] == nb["any_asset"]
        assert sorted(t["coverage_any_asset"]["by_district"]) == [code for code, _ in DISTRICTS]
        for code, d in t["by_district"].items():
            assert d["coverage_any_asset"] == round(d["families_reached_any_asset"] / d["births"], 4)
            assert t["coverage_any_asset"]["by_district"][code] == d["coverage_any_asset"]
            assert d["families_reached"] <= d["families_reached_any_asset"] <= d["births"]
            assert t["recall_return"]["by_district"][code]["newborn_families"] == d["births"]


class TestSurvey:
    def test_response_weights(self):
        world = dataclasses.replace(MODEL_WORLD, online_response_ratio=3.0, extra_channel_response_ratio=2.0)
        group = np.zeros(4, int)
        exposures = np.array(
            [
                [0, 0, 0, 1, 0, 0],  # leaflet only
                [1, 0, 0, 0, 0, 0],  # web
                [1, 1, 0, 1, 0, 0],  # web and video
                [1, 1, 1, 0, 1, 0],  # three online channels
            ],
            dtype=bool,
        )
        assert _response_weights(group, exposures, world).tolist() == [1.0, 3.0, 6.0, 12.0]
        assert _response_weights(group, exposures, MODEL_WORLD).tolist() == [1.0] * 4

    def test_exposure_dependent_response_raises_the_online_share(self):
        def online_share(world):
            got = total = 0
            for seed in range(4):
                t = _simulate_month(seed, 2026, 5, world).feedback_truth
                got += t["respondents_reached_online"]
                total += t["responses"]
            return got / total

        assert online_share(dataclasses.replace(MODEL_WORLD, online_response_ratio=20.0)) > online_share(
            MODEL_WORLD
        )

    def test_recruitment_through_one_channel(self):
        world = dataclasses.replace(MODEL_WORLD, recruitment_channel="web", recruitment_share=1.0)
        files, truth = sample(world)
        header, rows = forms(files)
        how = header.index(HOW)
        assert {r[how] for r in rows} == {"A link on the Just One Norfolk website"}
        t = truth["months"]["2026-10"]["feedback"]
        assert t["respondents_recruited_by_channel"] == t["responses"] == len(rows)
        where = header.index("Where did you see safer sleep information? (select all that apply)")
        # exact recall in the model world: everyone recruited by the web page ticks it
        assert all("Just One Norfolk website;" in r[where] for r in rows)

    def test_how_arrived_is_one_of_the_exposures_without_recruitment(self):
        files, _ = sample(MODEL_WORLD, months=2)
        where_options = (
            "Just One Norfolk website",
            "YouTube video",
            "Facebook or Instagram",
            "Leaflet or QR code",
            "Health visitor or midwife",
            "Other",
        )
        for month in ("2026-09", "2026-10"):
            header, rows = forms(files, month)
            how, where = header.index(HOW), header.index(header[header.index(HOW) + 1])
            assert header[how + 1].startswith("Where did you see")
            for r in rows:
                ticked = r[where].split(";")
                assert where_options[HOW_ARRIVED_OPTIONS.index(r[how])] in ticked

    def test_where_seen_exact_in_the_model_world(self):
        for seed in range(3):
            t = _simulate_month(seed, 2026, 4, MODEL_WORLD).feedback_truth
            assert t["respondents_where_seen_exact"] == t["responses"]
            assert t["norfolk_parents_not_newborn_family"] == 0

    def test_recall_misattribution_and_previous_month(self):
        rng = np.random.default_rng(0)
        web_only = np.array([1, 0, 0, 1, 0, 0], bool)
        previous = np.array([0, 0, 1], bool)
        swap = dataclasses.replace(MODEL_WORLD, recall_misattribution=1.0)
        for _ in range(20):
            ticked = _recalled(rng, web_only, previous, swap)
            assert not ticked[0] and ticked[1] != ticked[2] and ticked[3] and not ticked[4:].any()
        back = dataclasses.replace(MODEL_WORLD, recall_previous_month=1.0)
        assert _recalled(rng, web_only, previous, back).tolist() == [True, False, True, True, False, False]
        assert _recalled(rng, web_only, previous, MODEL_WORLD).tolist() == web_only.tolist()

    def test_parents_who_are_not_newborn_families(self):
        world = dataclasses.replace(MODEL_WORLD, older_baby_families=3000)
        mo = _simulate_month(5, 2026, 10, world)
        assert int((mo.group == 3).sum()) == 3000 and (mo.district[mo.group == 3] >= 0).all()
        t = mo.feedback_truth
        assert 0 < t["norfolk_parents_not_newborn_family"] <= t["norfolk_parents_answering"]


class TestTraffic:
    def test_spillover_onto_the_pages_a_campaign_does_not_promote(self):
        import datetime as dt

        u = _campaign_uplift(dt.date(2026, 10, 1), 31, _WEB, "web", spillover=0.5)
        promoted = [j for j, a in enumerate(_WEB) if "safer-sleep-autumn-2026" in a.campaign_tags]
        others = [j for j in range(len(_WEB)) if j not in promoted]
        on = slice(11, 25)  # 12 to 25 October
        assert np.allclose(u[promoted, on], 1.6) and np.allclose(u[others, on], 1.3)
        assert np.allclose(u[:, :11], 1.0) and np.allclose(u[:, 25:], 1.0)
        assert np.allclose(_campaign_uplift(dt.date(2026, 10, 1), 31, _WEB, "web")[others], 1.0)

    def test_spillover_truth(self):
        _, still = sample(MODEL_WORLD, months=1)
        _, spill = sample(dataclasses.replace(MODEL_WORLD, spillover=0.5), months=1)
        (c0,) = still["campaigns"]
        (c1,) = spill["campaigns"]
        assert c0["true_rel_effect_control_web_daily_views"] == 0 and c0["planted_spillover"] == 0
        # half the autumn push's uplift of 0.6: about 0.3 on the control pages
        assert 0.1 < c1["true_rel_effect_control_web_daily_views"] < 0.6

    def test_no_noise_in_the_model_world(self):
        import datetime as dt

        assert _traffic_noise(1, MODEL_WORLD, "web", dt.date(2026, 10, 1), 31) is None

    def test_ar1_noise_has_its_coefficient_and_mean_one(self):
        series = _noise_series(4, "web", 5, 0.8, 0.2, 0.0, 1.0, 1)
        x = np.log(series)
        lag1 = np.mean([np.corrcoef(row[:-1], row[1:])[0, 1] for row in x])
        assert abs(lag1 - 0.8) < 0.03
        assert abs(series.mean() - 1) < 0.05
        assert abs(x.std() - 0.2 / np.sqrt(1 - 0.64)) < 0.03

    def test_bursts(self):
        series = _noise_series(4, "web", 5, 0.0, 0.0, 0.02, 3.0, 1)
        bursting = series > 1
        assert abs(bursting.mean() - 0.02) < 0.005
        assert abs(np.median(series[bursting]) - 3.0) < 0.3

    def test_noise_runs_on_across_months(self):
        import datetime as dt

        world = dataclasses.replace(MODEL_WORLD, traffic_ar1=0.9, traffic_ar1_sd=0.1)
        oct_ = _traffic_noise(2, world, "web", dt.date(2026, 10, 1), 31)
        nov = _traffic_noise(2, world, "web", dt.date(2026, 11, 1), 30)
        both = _traffic_noise(2, world, "web", dt.date(2026, 10, 1), 61)
        assert np.array_equal(np.concatenate([oct_, nov], axis=1), both)


class TestPartnerStep:
    def test_step_month(self):
        assert partner_step_month(MODEL_WORLD) == "2025-04"
        assert partner_step_month(dataclasses.replace(MODEL_WORLD, partner_step_shift_months=3)) == "2025-07"
        assert partner_step_month(dataclasses.replace(MODEL_WORLD, partner_step_shift_months=-2)) == "2025-02"

    def test_mistimed_step_in_the_truth(self):
        world = dataclasses.replace(MODEL_WORLD, partner_step_shift_months=3)
        _, truth = sample(world, months=6, end_month="2025-08")
        step = truth["partner_indicator_step"]
        assert (step["first_month"], step["estimator_month"], step["shift_months"]) == (
            "2025-07",
            "2025-04",
            3,
        )
        on = {m: t["partner_step_on"] for m, t in truth["months"].items()}
        assert on == {"2025-03": False, "2025-04": False, "2025-05": False, "2025-06": False, "2025-07": True,
                      "2025-08": True}  # fmt: skip


class TestConsent:
    def test_district_offsets(self):
        assert not _district_consent_offsets(1, MODEL_WORLD).any()
        world = dataclasses.replace(MODEL_WORLD, consent_district_sd=0.1)
        off = _district_consent_offsets(1, world)
        assert abs(off.sum()) < 1e-3 and off.std() > 0.02
        a = _simulate_month(1, 2026, 9, world)
        b = _simulate_month(1, 2026, 10, world)
        # the same districts are above and below the month's rate every month
        assert np.allclose(a.consent_by_district - a.consent_rate, b.consent_by_district - b.consent_rate)

    def test_consent_follows_district(self):
        world = dataclasses.replace(MODEL_WORLD, consent_district_sd=0.15)
        mo = _simulate_month(2, 2026, 10, world)
        lo, hi = int(np.argmin(mo.consent_by_district)), int(np.argmax(mo.consent_by_district))
        assert mo.consent[mo.district == lo].mean() < mo.consent[mo.district == hi].mean()

    def test_consent_below_the_configured_range(self):
        _, truth = sample(SCENARIOS["consent_below_range"][1], months=4)
        for t in truth["months"].values():
            assert t["consent_rate"] < 0.45
            assert np.mean([d["consent_rate"] for d in t["by_district"].values()]) < 0.45


class TestTruthKeys:
    def test_every_checked_figure_has_its_truth(self):
        _, truth = sample(DEFAULT_WORLD, months=1)
        t = truth["months"]["2026-10"]
        for key in ("web", "video", "social", "combined", "web_tracked", "web_tracked_ga4_users"):
            assert isinstance(t["reach"][key], int)
        assert 0 <= t["norfolk_share_web"] <= 1
        assert set(t["coverage_any_asset"]) == {"county", "by_district"}
        assert {"county", "by_district", "sensitivity", "false_recall"} <= set(t["recall_return"])
        for d in t["by_district"].values():
            assert {"births", "families_reached", "families_reached_any_asset", "coverage_any_asset"} <= set(
                d
            )
        for c in truth["campaigns"]:
            assert {"true_rel_effect_web_daily_views", "planted_web_uplift", "planted_spillover"} <= set(c)
        assert truth["partner_indicator_step"]["true_change_pp"] == 5.0
        knobs = truth["parameters"]["world"]
        assert knobs["multi_device_share"] == DEFAULT_WORLD.multi_device_share
        assert set(knobs) == {f.name for f in dataclasses.fields(World)}
