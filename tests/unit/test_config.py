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


HASH_A = "a" * 64
HASH_B = "0123456789abcdef" * 4


class TestReadApprovedQuotes:
    def test_reads_hashes_skipping_comments_and_blank_lines(self, tmp_path):
        path = tmp_path / "approved_quotes.csv"
        path.write_text(
            "# approved by the analyst\n"
            "sha256,approved_by,approved_on,note\n"
            f'{HASH_B.upper()},A. Analyst,2026-11-05,"Room temperature, summer"\n'
            "\n"
            f"{HASH_A},B. Analyst,2026-11-06,\n"
            f"{HASH_A},B. Analyst,2026-11-07,approved twice\n",
            encoding="utf-8",
        )
        assert config_mod.read_approved_quotes(path) == [HASH_B, HASH_A]

    def test_header_only_approves_nothing(self, tmp_path):
        path = tmp_path / "approved_quotes.csv"
        path.write_text("sha256,approved_by,approved_on\n", encoding="utf-8")
        assert config_mod.read_approved_quotes(path) == []

    @pytest.mark.parametrize(
        ("line", "message"),
        [
            (f"{HASH_A[:-1]},A. Analyst,2026-11-05", "line 2: sha256 must be the 64 hex digits"),
            (f"{'g' * 64},A. Analyst,2026-11-05", "line 2: sha256"),
            (f"{HASH_A},,2026-11-05", "line 2: approved_by is blank"),
            (f"{HASH_A},A. Analyst,05/11/2026", "line 2: approved_on must be a date"),
            (
                f"{HASH_A},A. Analyst,2026-11-05,a note, with a comma",
                "line 2 has more values than the header",
            ),
        ],
    )
    def test_bad_line_is_named(self, tmp_path, line, message):
        path = tmp_path / "approved_quotes.csv"
        path.write_text(f"sha256,approved_by,approved_on,note\n{line}\n", encoding="utf-8")
        with pytest.raises(InputValidationError, match=message) as caught:
            config_mod.read_approved_quotes(path)
        assert "approved_quotes.csv" in str(caught.value)

    def test_missing_column_is_named(self, tmp_path):
        path = tmp_path / "approved_quotes.csv"
        path.write_text(f"hash,approved_by\n{HASH_A},A. Analyst\n", encoding="utf-8")
        with pytest.raises(InputValidationError, match="sha256, approved_by, approved_on"):
            config_mod.read_approved_quotes(path)

    def test_missing_file_is_named(self, tmp_path):
        with pytest.raises(InputValidationError, match="cannot read the approved quotes"):
            config_mod.read_approved_quotes(tmp_path / "absent.csv")

    def test_load_config_replaces_the_path_by_the_hashes(self, tmp_path):
        (tmp_path / "approved.csv").write_text(f"sha256,approved_by,approved_on\n{HASH_A},A,2026-11-05\n")
        (tmp_path / "reach.yaml").write_text(f"impact:\n  approved_quotes: {tmp_path / 'approved.csv'}\n")
        settings = load_config(tmp_path / "reach.yaml")
        assert settings["impact"]["approved_quotes"] == [HASH_A]
        assert settings["setting_files"]["approved_quotes"] == str(tmp_path / "approved.csv")

    def test_project_file_approves_the_sample_quotes(self):
        # printf '%s' 'Thank you, very clear.' | sha256sum
        thanks = "e97a4c79b954fd197422e9b516e1e8d0cfac06682f8a02a8297ea6730680d419"
        assert thanks in load_config()["impact"]["approved_quotes"]
