import pandas as pd
import pytest

from reach.core.urls import normalise_path
from reach.errors import InputValidationError
from reach.tidy.assets import match_assets, parse_registry, pattern_matches


def registry(**overrides):
    base = {
        "asset_id": ["SS-WEB", "SS-VID"],
        "title": ["Safer sleep page", "Safer sleep video"],
        "theme": ["safer-sleep", "safer-sleep"],
        "type": ["web page", "video"],
        "launch_date": ["2024-01-01", "2024-02-01"],
        "url_paths": ["/baby-sleep/safer-sleep*", ""],
        "video_ids": ["", "-AbCdEfGhIj;XyZ12345678"],
        "post_ids": ["", "12345678901234567"],
        "campaign_tags": ["safer-sleep-leaflet-qr", ""],
    }
    base.update(overrides)
    return pd.DataFrame(base)


class TestNormalisePath:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("/adults/", "/adults"),
            ("/adults", "/adults"),
            ("https://www.justonenorfolk.nhs.uk/Baby-Sleep/?utm_source=qr#top", "/baby-sleep"),
            ("//checkout/", "/checkout"),
            ("/", "/"),
            ("", ""),
            (None, ""),
        ],
    )
    def test_cases(self, value, expected):
        assert normalise_path(value) == expected


class TestParseRegistry:
    def test_one_row_per_identifier(self):
        ids = parse_registry(registry())
        assert sorted(ids["identifier"]) == sorted(
            [
                "/baby-sleep/safer-sleep*",
                "safer-sleep-leaflet-qr",
                "-AbCdEfGhIj",
                "XyZ12345678",
                "12345678901234567",
            ]
        )

    def test_missing_column_is_named(self):
        with pytest.raises(InputValidationError, match="post_ids"):
            parse_registry(registry().drop(columns="post_ids"), source="assets.csv")

    def test_identifier_in_two_assets_names_line(self):
        bad = registry(video_ids=["XyZ12345678", "XyZ12345678"])
        with pytest.raises(InputValidationError, match=r"line 3.*XyZ12345678"):
            parse_registry(bad, source="assets.csv")

    def test_repeated_asset_id(self):
        with pytest.raises(InputValidationError, match="used twice"):
            parse_registry(registry(asset_id=["A", "A"]))


class TestMatchAssets:
    def test_paths_match_with_wildcards_and_trailing_slashes(self):
        pages = pd.DataFrame(
            {"page_path": ["/baby-sleep/safer-sleep/", "/baby-sleep/safer-sleep/co-sleeping", "/"]}
        )
        result = match_assets(pages, "page_path", "path", parse_registry(registry()))
        assert list(result["asset_id"].fillna("-")) == ["SS-WEB", "SS-WEB", "-"]
        assert "asset_id" not in pages

    def test_video_ids_match_after_stripping_space(self):
        videos = pd.DataFrame({"video_id": [" -AbCdEfGhIj", "other"]})
        result = match_assets(videos, "video_id", "video", parse_registry(registry()))
        assert list(result["asset_id"].fillna("-")) == ["SS-VID", "-"]

    def test_section_pattern_matches_the_section_page_itself(self):
        ids = parse_registry(registry(url_paths=["/baby-sleep/*", ""]))
        pages = pd.DataFrame(
            {"page_path": ["/baby-sleep/", "/baby-sleep", "/baby-sleep/naps/", "/baby-sleepy/", "/"]}
        )
        result = match_assets(pages, "page_path", "path", ids)
        assert list(result["asset_id"].fillna("-")) == ["SS-WEB", "SS-WEB", "SS-WEB", "-", "-"]

    def test_identifier_pasted_from_a_spreadsheet_safe_csv_loses_its_apostrophe(self):
        ids = parse_registry(registry(video_ids=["", "'-AbCdEfGhIj; '-XyZ12345678"]))
        videos = pd.DataFrame({"video_id": ["-AbCdEfGhIj", "-XyZ12345678"]})
        result = match_assets(videos, "video_id", "video", ids)
        assert list(result["asset_id"]) == ["SS-VID", "SS-VID"]
        assert "'" not in "".join(ids["identifier"])


class TestPatternMatches:
    @pytest.mark.parametrize(
        ("path", "pattern", "expected"),
        [
            ("/section", "/section/*", True),
            ("/section/page", "/section/*", True),
            ("/section-other", "/section/*", False),
            ("/sectio", "/section/*", False),
            ("/", "/*", True),
            ("/baby-sleep/safer-sleep", "/baby-sleep/safer-sleep*", True),
        ],
    )
    def test_cases(self, path, pattern, expected):
        assert pattern_matches(path, pattern) is expected
