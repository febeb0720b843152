from __future__ import annotations

import datetime as dt

import pytest

from reach import config as config_mod
from reach.config import RunParams, load_config
from reach.core.months import month_end, parse_month
from reach.errors import InputValidationError


class TestParseMonth:
    def test_valid(self):
        assert parse_month("2026-10") == dt.date(2026, 10, 1)

    @pytest.mark.parametrize("value", ["2026-13", "2026-00", "2026-1", "Oct 2026", "", "2026/10"])
    def test_invalid_named_in_message(self, value):
        with pytest.raises(InputValidationError, match="month"):
            parse_month(value)


class TestMonthEnd:
    @pytest.mark.parametrize(
        ("first", "last"),
        [(dt.date(2024, 2, 1), dt.date(2024, 2, 29)), (dt.date(2026, 12, 1), dt.date(2026, 12, 31))],
    )
    def test_cases(self, first, last):
        assert month_end(first) == last


class TestLoadConfig:
    def test_project_config_has_notebooks_and_questions(self):
        settings = load_config()
        assert settings["notebooks"]
        assert "helpful" in settings["feedback_questions"]

    def test_not_a_mapping(self, tmp_path):
        path = tmp_path / "bad.yaml"
        path.write_text("- a\n- b\n")
        with pytest.raises(InputValidationError, match="mapping"):
            load_config(path)


class TestRunParams:
    def test_accepts_good_values(self, tmp_path):
        params = RunParams.from_mapping(
            {"report_month": "2026-10", "processed_dir": str(tmp_path), "sample": True}
        )
        assert params.month_end == dt.date(2026, 10, 31)

    def test_rejects_wrong_type(self, tmp_path):
        with pytest.raises(InputValidationError, match="sample"):
            RunParams.from_mapping(
                {"report_month": "2026-10", "processed_dir": str(tmp_path), "sample": "yes"}
            )

    def test_rejects_missing_folder(self, tmp_path):
        with pytest.raises(InputValidationError, match="does not exist"):
            RunParams.from_mapping(
                {"report_month": "2026-10", "processed_dir": str(tmp_path / "nope"), "sample": False}
            )


# ---------------------------------------------------------------------------------------------
# Settings
# ---------------------------------------------------------------------------------------------


class TestSettings:
    def test_defaults_section_and_overrides(self):
        cfg = config_mod.resolve_settings(
            {"confidence_level": 0.9, "reach": {"survey_min_respondents": 12}}, geo_error=0.0
        )
        assert cfg["level"] == 0.9 and cfg["survey_min_respondents"] == 12 and cfg["geo_error"] == 0.0
        assert cfg["consent_rate"] == {"low": 0.45, "high": 0.85}

    def test_bad_settings_are_refused(self):
        with pytest.raises(ValueError):
            config_mod.resolve_settings(None, consent_rate={"low": 0.9, "high": 0.5})
        with pytest.raises(ValueError):
            config_mod.resolve_settings(None, no_such_setting=1)
        with pytest.raises(ValueError):
            config_mod.resolve_settings(None, random_duplication_variant="sainsbury")
