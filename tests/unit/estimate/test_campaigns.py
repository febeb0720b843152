from __future__ import annotations

import numpy as np
import pandas as pd

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
