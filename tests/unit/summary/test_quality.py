import pandas as pd

from reach.summary import quality


class TestTrackingGaps:
    def test_missing_days_and_exports_are_listed(self):
        days = pd.date_range("2026-02-01", "2026-02-28", freq="D")
        kept = [d for d in days if d.day not in (5, 6)]
        tables = {
            "web_daily": pd.DataFrame({"month": "2026-02", "date": kept}),
            "web_pages": pd.DataFrame({"month": ["2026-01"]}),
            "feedback": pd.DataFrame({"month": ["2026-02"]}),
        }
        gaps = quality.tracking_gaps(tables, "2026-02")
        assert gaps == [
            "GA4 Pages and screens: no export for the month",
            "GA4 daily page views: 2 of 28 days missing (5, 6 February)",
        ]

    def test_an_unusable_export_is_not_called_missing(self):
        tables = {
            "video": pd.DataFrame({"month": ["2026-01"]}),
            "readiness": pd.DataFrame(
                [
                    {
                        "source": "youtube",
                        "label": "YouTube videos",
                        "headline": True,
                        "status": "unusable",
                        "detail": "Table data.csv: covers 13 Jun 2025 to 12 Jun 2026",
                        "fix": "",
                    },
                ]
            ),  # fmt: skip
        }
        assert quality.tracking_gaps(tables, "2026-02") == [
            "YouTube videos: an export was there but could not be used "
            "(Table data.csv: covers 13 Jun 2025 to 12 Jun 2026)"
        ]


class TestDataCaveats:
    def test_topics_in_order_with_counts(self):
        tables = {
            "inputs": pd.DataFrame(
                {
                    "path": ["2026-10/ga4/a.csv", "2026-10/ga4/b.csv", "2026-09/x.csv"],
                    "role": ["raw export"] * 3,
                    "warnings": ["GA4 folded rare values into an '(other)' row (line 9)", "", "x"],
                }
            ),
            "unmatched": pd.DataFrame(
                {"month": ["2026-10", "2026-10"], "measure": ["views", "sessions"], "value": [30, 4]}
            ),
            "restatements": pd.DataFrame({"table": ["web_daily", "video"]}),
            "notes": pd.DataFrame({"source": ["feedback"], "note": ["<b>2 rows</b> kept"]}),
        }
        summary = {"data_quality": {"quarantined_rows": 3}, "impact": {"notes": ["no counterfactual"]}}
        items = quality.data_caveats(tables, "2026-10", summary)
        assert [i["topic"] for i in items] == [
            "Tracking gaps", "Rows set aside", "Pages, videos and posts not in the asset registry",
            "Restated values", "GA4 '(other)' rows and thresholding", "Warnings when reading the files",
            "Note on feedback", "Not estimated",
        ]  # fmt: skip
        text = {i["topic"]: i["text"] for i in items}
        assert text["Rows set aside"].startswith("3 rows could not be used")
        assert text["Pages, videos and posts not in the asset registry"].startswith(
            "2 identifiers this month (30 views)"
        )
        assert text["Restated values"].startswith("2 values were changed by a later export (1 of them GA4")
        assert "In 1 of this month's files" in text["GA4 '(other)' rows and thresholding"]
        assert (
            text["Warnings when reading the files"]
            == "1 of the 2 files for this month had warnings; they are in the file table below."
        )


class TestCityCaveat:
    def test_a_site_wide_town_city_export_is_named(self):
        tables = {
            "inputs": pd.DataFrame({"path": ["2026-10/a.csv"], "role": ["raw export"], "warnings": [""]}),
            "unmatched": pd.DataFrame({"month": ["2026-09"], "measure": ["views"], "value": [1.0]}),
            "restatements": pd.DataFrame({"table": pd.Series([], dtype="str")}),
            "notes": pd.DataFrame({"source": pd.Series([], dtype="str"), "note": pd.Series([], dtype="str")}),
            "web_pages": pd.DataFrame({"month": ["2026-10"], "active_users": [100], "asset_id": ["a"]}),
            "web_city": pd.DataFrame({"month": ["2026-10"], "city": ["Norwich"], "active_users": [900]}),
        }
        summary = {"data_quality": {"quarantined_rows": 0}, "impact": {"notes": []}}
        items = {i["topic"]: i["text"] for i in quality.data_caveats(tables, "2026-10", summary)}
        text = items["GA4 Town/City export covers more than the asset pages"]
        assert text.startswith(
            "The GA4 Town/City export counts 900 users in October 2026, more than the 100 users"
        )
        tables["web_city"] = tables["web_city"].assign(active_users=[90])
        topics = [i["topic"] for i in quality.data_caveats(tables, "2026-10", summary)]
        assert "GA4 Town/City export covers more than the asset pages" not in topics
