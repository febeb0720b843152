import pandas as pd

from reach.report import display


class TestBanner:
    def test_sample_banner_is_loud(self):
        assert "SAMPLE DATA" in display.banner(True, "2026-10").data

    def test_real_banner_has_no_sample_text(self):
        assert "SAMPLE" not in display.banner(False, "2026-10").data


# ---------------------------------------------------------------------------------------------
# Issue 6: tiles, caveats, engagement, targets, methodology
# ---------------------------------------------------------------------------------------------


def _tile(key, status, label, unit="share", value=None, comparisons=(), **extra):
    return {
        "key": key,
        "label": label,
        "unit": unit,
        "value": value or {"estimate": 0.88, "low": 0.78, "high": 0.94, "n": "60", "reason": None},
        "status": status,
        "status_label": {"green": "On track", "amber": "Watch", "red": "Below target", "none": "No status"}[
            status
        ],
        "status_reason": "interval reaches across the target of 90%",
        "comparisons": list(comparisons),
        "note": None,
        **extra,
    }


GLANCE = {
    "month": "2026-10",
    "tiles": [
        _tile(
            "reach_people",
            "green",
            "People reached online",
            unit="people",
            value={"estimate": 1788, "low": 1020, "high": 3136, "reason": None},
            comparisons=[
                {
                    "label": "last month (September 2026)",
                    "value": {"estimate": 1477, "low": 1061, "high": 2057},
                    "change": {"estimate": 311, "low": None, "high": None, "verdict": "no clear change"},
                }
            ],
        ),
        _tile(
            "helpful",
            "amber",
            "Found the information helpful",
            comparisons=[
                {
                    "label": "last month (September 2026)",
                    "value": {"estimate": 0.73, "low": 0.59, "high": 0.83},
                    "change": {"estimate": 0.154, "low": 0.0055, "high": 0.3053, "verdict": "rise"},
                }
            ],
        ),
        _tile(
            "coverage",
            "none",
            "Families with a newborn reached",
            value={"estimate": None, "reason": "too few parents"},
        ),
        _tile(
            "campaign_effect",
            "red",
            "Latest campaign",
            unit="relative",
            value={"estimate": -0.2, "low": -0.3, "high": -0.1, "reason": None},
            campaign={"name": "<script>alert(1)</script> week"},
        ),
    ],
}


class TestGlanceTiles:
    def test_every_tile_has_a_text_status_and_an_icon(self):
        html = display.glance_tiles(GLANCE).data
        assert html.count('<li class="reach-tile') == 4
        for label in ("On track", "Watch", "No status", "Below target"):
            assert f'<strong class="reach-status-label">{label}</strong>' in html
        assert html.count('aria-hidden="true"') == 4

    def test_figures_intervals_and_changes(self):
        html = display.glance_tiles(GLANCE).data
        assert (
            '<p class="reach-tile-value">1,788 <span class="reach-tile-unit">people, each counted once</span></p>'
            in html
        )
        assert "95% interval 1,020 to 3,136" in html
        assert "<dt>Last month (September 2026)</dt><dd>1,477 (1,061 to 2,057): no clear change</dd>" in html
        assert "73% (59% to 83%); change +15 points (+1 to +31 points): clear rise" in html
        assert "95% interval -30% to -10%" in html

    def test_missing_figure_gives_its_reason(self):
        html = display.glance_tiles(GLANCE).data
        assert "No figure: too few parents." in html

    def test_a_bound_shows_its_range_and_no_best_estimate(self):
        bound = {
            "month": "2026-10",
            "tiles": [
                _tile(
                    "reach_people", "amber", "People reached online", unit="people",
                    value={"estimate": None, "low": 915, "high": 3855, "reason": None},
                    comparisons=[{
                        "label": "last month (September 2026)",
                        "value": {"estimate": None, "low": 880, "high": 3400},
                        "change": {"estimate": None, "low": None, "high": None, "verdict": "not comparable"},
                    }],
                )
            ],
        }  # fmt: skip
        html = display.glance_tiles(bound).data
        assert '<p class="reach-tile-value">915 to 3,855 <span class="reach-tile-unit">' in html
        assert "A range: the data give limits, not a best estimate." in html
        assert "<dd>880 to 3,400 (a range)</dd>" in html
        assert "No figure" not in html

    def test_status_says_what_it_is_judged_on(self):
        tile = _tile(
            "helpful", "amber", "Found the information helpful", target={"target": 0.9, "floor": 0.75},
            status_basis="Judged on October 2026's 95% interval against the target, not on the changes below",
        )  # fmt: skip
        html = display.glance_tiles({"month": "2026-10", "tiles": [tile]}).data
        assert (
            '<p class="reach-tile-why">Judged on October 2026&#x27;s 95% interval against the target, not on the '
            "changes below: interval reaches across the target of 90%.</p>"
        ) in html

    def test_without_a_target_only_the_reason_is_given(self):
        tile = _tile(
            "helpful", "none", "Found the information helpful", target=None, status_basis="No target"
        )
        tile["status_reason"] = "no target is set for this measure"
        html = display.glance_tiles({"month": "2026-10", "tiles": [tile]}).data
        assert '<p class="reach-tile-why">No target is set for this measure.</p>' in html

    def test_campaign_name_is_escaped(self):
        html = display.glance_tiles(GLANCE).data
        assert "<script>" not in html
        assert "Latest campaign: &lt;script&gt;alert(1)&lt;/script&gt; week" in html


class TestStatusIcon:
    def test_each_status_has_its_own_shape(self):
        icons = {status: display.status_icon(status) for status in ("green", "amber", "red", "none")}
        assert "<circle" in icons["green"] and '<path d="M8 0.8' in icons["amber"] and "<rect" in icons["red"]
        assert len(set(icons.values())) == 4
        assert all('aria-hidden="true"' in icon and 'focusable="false"' in icon for icon in icons.values())


class TestCaveats:
    def test_topics_and_text_are_escaped(self):
        html = display.caveats([{"topic": "Note on <x>", "text": "a <script>b</script> c"}]).data
        assert "<strong>Note on &lt;x&gt;:</strong> a &lt;script&gt;b&lt;/script&gt; c" in html


class TestChart:
    def test_chart_table_uses_the_chart_formats(self, monkeypatch):
        from matplotlib.figure import Figure

        from reach.report.charts import Chart

        data = pd.DataFrame({"Asset": ["A"], "Change": pd.array([-34.0], dtype="Float64")})
        item = Chart(Figure(figsize=(2, 1)), "Bar chart of something with a long enough description", "Caption", data,
                     {"Change": "{:+,.0f}"})  # fmt: skip
        outputs = []
        monkeypatch.setattr(display, "display", lambda obj, **kwargs: outputs.append(obj))
        display.chart(item)
        assert outputs[0]["text/plain"].startswith("[chart] Bar chart")
        assert "<td>-34</td>" in outputs[2].data


def readiness_table(statuses: dict) -> pd.DataFrame:
    labels = {"ga4_pages": "GA4 pages", "meta_posts": "Meta posts", "ga4_city": "GA4 Town/City"}
    headline = {"ga4_pages": True, "meta_posts": True, "ga4_city": False}
    return pd.DataFrame(
        [{"source": key, "label": labels[key], "headline": headline[key], "status": status,
          "detail": f"<{key}> detail", "fix": ""} for key, status in statuses.items()]
    )  # fmt: skip


class TestIncompleteBanner:
    def test_opens_with_each_missing_headline_source_escaped(self):
        html = display.banner(
            False,
            "2026-03",
            readiness_table({"ga4_pages": "unusable", "meta_posts": "missing", "ga4_city": "missing"}),
        ).data
        assert html.index("Incomplete month") < html.index("Figures for March 2026")
        assert "<strong>GA4 pages</strong>: unusable. &lt;ga4_pages&gt; detail" in html
        assert "<strong>Meta posts</strong>: missing." in html
        assert "GA4 Town/City" not in html  # not a headline source
        assert "reach check --month 2026-03" in html

    def test_no_banner_when_complete_or_without_the_table(self):
        complete = readiness_table({"ga4_pages": "present", "meta_posts": "present", "ga4_city": "missing"})
        assert "Incomplete month" not in display.banner(False, "2026-03", complete).data
        assert "Incomplete month" not in display.banner(False, "2026-03").data
