from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from reach.estimate import campaigns


class TestCampaignWindows:
    CAMPAIGNS = pd.DataFrame(
        {
            "campaign_id": ["a", "b"],
            "name": ["A", "B"],
            "start": ["2025-03-10", "2025-06-02"],
            "end": ["2025-03-23", "2025-06-15"],
            "utm_campaign": ["utm-a", "utm-b"],
        }
    )

    def test_windows_washout_and_partial(self):
        windows = campaigns.campaign_windows(
            self.CAMPAIGNS,
            pd.Timestamp("2025-01-01"),
            pd.Timestamp("2025-06-10"),
            washout_days=7,
            min_pre_days=28,
        )
        a, b = windows
        assert (a["pre_start"], a["pre_end"], a["post_end"]) == ("2025-01-01", "2025-03-09", "2025-03-23")
        # B: from 7 days after A ended (23 March + 1 + 7 = 31 March) to the day before B.
        assert (b["pre_start"], b["pre_end"]) == ("2025-03-31", "2025-06-01")
        assert b["partial"] and b["post_end"] == "2025-06-10" and b["post_days"] == 9
        short = campaigns.campaign_windows(
            self.CAMPAIGNS, pd.Timestamp("2025-02-20"), pd.Timestamp("2025-06-30"), min_pre_days=28
        )
        assert not short[0]["usable"] and "18 days" in short[0]["reason"]

    def test_pages_and_controls(self):
        days = pd.date_range("2025-03-31", "2025-06-15", freq="D")
        daily = pd.DataFrame({"p1": 10.0, "p2": 5.0, "new": np.nan, "ctrl": 20.0, "other": 3.0}, index=days)
        daily.loc["2025-06-02":, "new"] = 4.0
        assets = pd.DataFrame(
            {
                "asset_id": ["p1", "p2", "new", "ctrl", "other", "vid"],
                "type": ["web_page"] * 5 + ["video"],
                "campaign_tags": ["utm-b", "utm-a;utm-b", "utm-b", "", "utm-a", "utm-b"],
            }
        )
        window = campaigns.campaign_windows(self.CAMPAIGNS, days[0], days[-1])[1]
        y, X, info = campaigns.campaign_web_series(daily, assets, self.CAMPAIGNS, window)
        assert info["campaign_pages"] == ["p1", "p2"] and info["new_pages"] == ["new"]
        # "other" was promoted by A, which does not overlap B's window, so it is a control.
        assert info["control_pages"] == ["ctrl", "other"]
        assert (y == 15.0).all() and (X["control_pages"] == 23.0).all()


def _table(*rows):
    """Campaigns from (id, start, end) rows."""
    ids, starts, ends = zip(*rows, strict=True)
    return pd.DataFrame(
        {
            "campaign_id": list(ids),
            "name": [i.upper() for i in ids],
            "start": list(starts),
            "end": list(ends),
            "utm_campaign": [f"utm-{i}" for i in ids],
        }
    )


def _never_in_a_baseline(table, windows, washout=7):
    """No window's pre-period holds a day of another campaign or of its washout."""
    for window in windows:
        pre_start, pre_end = pd.Timestamp(window["pre_start"]), pd.Timestamp(window["pre_end"])
        for row in table.itertuples(index=False):
            if row.campaign_id == window["campaign"]:
                continue
            first, last = pd.Timestamp(row.start), pd.Timestamp(row.end) + pd.Timedelta(days=washout)
            assert last < pre_start or first > pre_end, (window["campaign"], row.campaign_id)


class TestOverlappingCampaigns:
    FIRST, LAST = pd.Timestamp("2024-10-01"), pd.Timestamp("2025-06-30")

    def test_a_campaign_still_running_is_not_in_the_baseline(self):
        # B began on 10 March while A (1-20 March) ran: B's baseline ends the day before A began.
        table = _table(("a", "2025-03-01", "2025-03-20"), ("b", "2025-03-10", "2025-03-23"))
        a, b = campaigns.campaign_windows(table, self.FIRST, self.LAST)
        assert (a["pre_start"], a["pre_end"], a["baseline_gap"]) == ("2024-10-01", "2025-02-28", None)
        assert (b["pre_start"], b["pre_end"]) == ("2024-10-01", "2025-02-28")
        assert b["baseline_gap"] == {"start": "2025-03-01", "end": "2025-03-09", "campaigns": ["a"]}
        assert a["concurrent"] == ["b"] and b["concurrent"] == ["a"]
        assert b["post_start"] == "2025-03-10" and b["pre_days"] == 151  # 1 Oct 2024 to 28 Feb 2025
        _never_in_a_baseline(table, [a, b])

    def test_nested_chained_and_washout_neighbours(self):
        table = _table(
            ("outer", "2025-01-01", "2025-01-31"),
            ("inner", "2025-01-10", "2025-01-20"),  # inside outer
            ("next", "2025-02-05", "2025-02-18"),  # 5 days after outer ended: inside its washout
            ("chain", "2025-02-15", "2025-03-10"),  # overlaps next, which overlaps outer's washout
            ("late", "2025-04-01", "2025-04-14"),  # 3 weeks after chain: a clean baseline between
        )
        windows = {w["campaign"]: w for w in campaigns.campaign_windows(table, self.FIRST, self.LAST)}
        # inner, next and chain all go back to the day before outer began (31 December).
        for name, gap_start, gap_end, blockers in (
            ("inner", "2025-01-01", "2025-01-09", ["outer"]),
            ("next", "2025-01-01", "2025-02-04", ["inner", "outer"]),
            ("chain", "2025-01-01", "2025-02-14", ["inner", "next", "outer"]),
        ):
            window = windows[name]
            assert (window["pre_start"], window["pre_end"]) == ("2024-10-01", "2024-12-31"), name
            assert window["baseline_gap"] == {"start": gap_start, "end": gap_end, "campaigns": blockers}
        # late: from 7 days after chain ended (10 March + 1 + 7 = 18 March) to 31 March.
        assert (windows["late"]["pre_start"], windows["late"]["pre_end"]) == ("2025-03-18", "2025-03-31")
        assert windows["late"]["baseline_gap"] is None and not windows["late"]["usable"]
        assert windows["inner"]["concurrent"] == ["outer"]
        assert windows["chain"]["concurrent"] == ["next"]
        _never_in_a_baseline(table, list(windows.values()))

    def test_same_day_start_is_concurrent_not_baseline(self):
        table = _table(("a", "2025-03-10", "2025-03-23"), ("b", "2025-03-10", "2025-03-16"))
        windows = {w["campaign"]: w for w in campaigns.campaign_windows(table, self.FIRST, self.LAST)}
        a, b = windows["a"], windows["b"]
        assert a["pre_end"] == b["pre_end"] == "2025-03-09"
        assert a["baseline_gap"] is None and b["baseline_gap"] is None
        assert a["concurrent"] == ["b"] and b["concurrent"] == ["a"]

    def test_gap_days_are_missing_in_the_campaign_series(self):
        table = _table(("a", "2025-03-01", "2025-03-20"), ("b", "2025-03-10", "2025-03-23"))
        days = pd.date_range("2024-10-01", "2025-03-31", freq="D")
        daily = pd.DataFrame({"pa": 5.0, "pb": 10.0, "ctrl": 20.0}, index=days)
        assets = pd.DataFrame(
            {
                "asset_id": ["pa", "pb", "ctrl"],
                "type": ["web_page"] * 3,
                "campaign_tags": ["utm-a", "utm-b", ""],
            }
        )
        window = campaigns.campaign_windows(table, days[0], days[-1])[1]
        y, X, info = campaigns.campaign_web_series(daily, assets, table, window)
        assert info["control_pages"] == ["ctrl"]  # pa belongs to a, which overlaps b's window
        assert y.loc["2025-03-01":"2025-03-09"].isna().all()
        assert (y.loc[:"2025-02-28"] == 10.0).all() and (y.loc["2025-03-10":] == 10.0).all()


class TestMethodsAgree:
    @pytest.mark.parametrize(
        ("its", "agree", "reason"),
        [
            # Counterfactual +40% (+11% to +90%) against a time series interval including 1.
            (
                (1.38, 0.98, 1.94),
                False,
                "the counterfactual finds a clear change and the time series does not",
            ),
            # Both exclude no change and overlap (+25% to +116% against +11% to +90%).
            ((1.64, 1.25, 2.16), True, "both intervals exclude no change and they overlap"),
            # Both exclude no change, in opposite directions.
            ((0.7, 0.6, 0.8), False, "they find clear changes in opposite directions"),
            # Both clear rises, but +150% to +200% lies above +11% to +90%.
            (
                (2.7, 2.5, 3.0),
                False,
                "their intervals do not overlap: the estimates differ by more than their intervals allow",
            ),
        ],
    )
    def test_hand_cases(self, its, agree, reason):
        cf = {"rel_effect": 0.40, "rel_low": 0.11, "rel_high": 0.90}
        result = campaigns.methods_agree(cf, {"rate_ratio": its[0], "low": its[1], "high": its[2]})
        assert result == {"agree": agree, "reason": reason}

    def test_missing_upper_limit_is_unbounded_and_one_method_alone_is_unknown(self):
        cf = {"rel_effect": 0.3, "rel_low": 0.1, "rel_high": None}
        assert campaigns.methods_agree(cf, {"rate_ratio": 3.0, "low": 2.5, "high": 3.5})["agree"] is True
        assert campaigns.methods_agree(cf, None) == {
            "agree": None,
            "reason": "only one method gave an estimate",
        }


class TestPartnerBaseline:
    def test_earlier_campaigns_and_washout_are_left_out(self):
        windows = [
            {"campaign": "a", "name": "A", "start": "2024-02-05", "end": "2024-02-18"},
            {"campaign": "b", "name": "B", "start": "2024-09-01", "end": "2024-09-14"},
        ]
        assert campaigns._partner_baseline_start(windows, windows[0], 7) is None
        # A ended 18 February; with its 7-day washout (25 February) the baseline starts in March.
        assert campaigns._partner_baseline_start(windows, windows[1], 7) == "2024-03"
        # A washout reaching into the next month moves the start one more month.
        assert campaigns._partner_baseline_start(windows, windows[1], 14) == "2024-04"

    def test_step_after_the_first_campaign_with_a_clean_baseline(self):
        months = [f"2024-{m:02d}" for m in range(1, 13)] + [f"2025-{m:02d}" for m in range(1, 7)]
        partner = pd.DataFrame(
            {
                "month": months,
                "indicator": "assessed",
                "numerator": [50 + (i % 3) for i in range(len(months))],
                "denominator": 100,
            }
        )
        windows = [
            {"campaign": "a", "name": "A", "start": "2024-01-08", "end": "2024-01-21"},
            {"campaign": "b", "name": "B", "start": "2024-06-03", "end": "2024-06-16"},
        ]
        opts = {"its_min_points": 3, "level": 0.95, "washout_days": 7}
        (row,), notes = campaigns._partner_its(partner, windows, "2025-06", opts)
        # A has no months before it, so the step follows B; its baseline is February to June 2024.
        assert not notes
        assert "after B" in row["method"] and "5 months before, 12 after" in row["method"]
        assert "months before February 2024 (earlier campaigns) left out of the baseline" in row["method"]


class TestWebTimeSeriesFakeStarts:
    """The web time series' interval checked against fake starts (assumption broken: runs of days)."""

    OPTS = {"level": 0.95, "its_daily_hac_lags": None, "counterfactual_min_pre_days": 28}

    def _series(self, seed: int, rho: float) -> tuple[pd.Series, pd.DataFrame]:
        rng = np.random.default_rng(seed)
        index = pd.date_range("2025-01-01", periods=200, freq="D")
        controls = 500 * (1 + 0.2 * (index.day_of_week >= 5))
        noise = np.zeros(len(index))
        for i in range(1, len(index)):
            noise[i] = rho * noise[i - 1] + rng.normal(0, 0.15)
        y = rng.poisson(0.3 * controls * np.exp(noise)).astype(float)
        return pd.Series(y, index), pd.DataFrame({"control_pages": controls.astype(float)}, index)

    def _periods(self, y: pd.Series) -> tuple[tuple, tuple]:
        days = [d.date().isoformat() for d in y.index]
        return (days[0], days[-15]), (days[-14], days[-1])

    def test_runs_of_days_widen_the_interval(self):
        y, X = self._series(3, 0.8)
        pre, post = self._periods(y)
        row = campaigns._web_its(y, X, pre, post, "c", self.OPTS)
        cal = row["calibration"]
        # 186 baseline days, 14-day fake campaigns with at least 28 days before: 11 fake starts.
        assert cal["fake_starts"] == 11 and cal["calibrated"] and cal["applied"] > 1.2
        assert row["low"] < row["rate_ratio"] < row["high"]
        # The model's own half-width on the log scale, widened by the factor and the t multiplier.
        frame = y.rename("views").to_frame().assign(date=y.index, control_views=X["control_pages"])
        frame["step"] = (frame.index >= pd.Timestamp(post[0])).astype(int)
        own = campaigns._web_its_fit(frame, "control_views", self.OPTS)
        own_half = (np.log(own.high) - np.log(own.low)) / 2
        half = (np.log(row["high"]) - np.log(row["low"])) / 2
        assert half == pytest.approx(own_half / 1.959964 * cal["quantile"] * cal["applied"])
        assert "11 fake starts" in row["method"]

    def test_independent_days_are_barely_widened(self):
        y, X = self._series(4, 0.0)
        pre, post = self._periods(y)
        cal = campaigns._web_its(y, X, pre, post, "c", self.OPTS)["calibration"]
        assert cal["calibrated"] and cal["applied"] < 1.5
