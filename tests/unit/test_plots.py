import pandas as pd

from reach import plots

TREND = pd.DataFrame(
    {
        "month": ["2026-08", "2026-09", "2026-10"],
        "web_views": [100.0, 300.0, 200.0],
        "video_views": [None, 5.0, 9.0],
    }
)
CAMPAIGNS = pd.DataFrame({"name": ["Safer Sleep Week"], "start": ["2026-09-07"], "end": ["2026-09-20"]})


class TestTrendChart:
    def test_alt_text_states_range_peak_and_campaign(self):
        chart = plots.trend_chart(
            TREND, CAMPAIGNS, {"web_views": "Web page views", "video_views": "Video views"}
        )
        assert chart.alt.startswith("Line chart")
        assert "web page views ranged from 100 to 300, highest in September 2026" in chart.alt
        assert "Safer Sleep Week" in chart.alt
        assert list(chart.data.columns) == ["month", "Web page views", "Video views"]

    def test_campaign_outside_window_not_mentioned(self):
        old = pd.DataFrame({"name": ["Old push"], "start": ["2020-01-01"], "end": ["2020-01-10"]})
        chart = plots.trend_chart(TREND, old, {"web_views": "Web page views"})
        assert "Old push" not in chart.alt


class TestAssetBarChart:
    def test_alt_names_top_and_bottom(self):
        frame = pd.DataFrame({"asset_title": ["A page", "B video", "C post"], "views": [5, 50, 20]})
        chart = plots.asset_bar_chart(frame, "views", "Page views", "2026-10")
        assert "B video had the most (50)" in chart.alt
        assert "A page the fewest (5)" in chart.alt
