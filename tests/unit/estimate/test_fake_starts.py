from __future__ import annotations

import math

import pytest

from reach.estimate.fake_starts import MIN_FAKE_STARTS, calibration_words, fake_start_scale, fake_windows

# Student t quantiles from printed tables (two-sided 95 %): 4 df 2.776, 10 df 2.228.
T95_4DF = 2.776
T95_10DF = 2.228
Z95 = 1.96


class TestFakeWindows:
    def test_latest_first_non_overlapping_with_enough_before(self):
        assert fake_windows(60, 14, 28) == [(46, 60), (32, 46)]
        assert fake_windows(42, 14, 28) == [(28, 42)]
        assert fake_windows(41, 14, 28) == []

    def test_no_windows_for_empty_lengths(self):
        assert fake_windows(100, 0, 28) == []
        assert fake_windows(0, 14, 0) == []

    def test_at_least_one_step_before_even_when_none_asked(self):
        assert fake_windows(4, 2, 0) == [(2, 4)]


class TestFakeStartScale:
    def test_errors_twice_the_model_double_the_interval_with_t_quantile(self):
        out = fake_start_scale([2.0, -2.0, 2.0, -2.0])
        assert out["fake_starts"] == 4 and out["calibrated"]
        assert out["scale"] == pytest.approx(2.0)
        assert out["applied"] == pytest.approx(2.0)
        assert out["quantile"] == pytest.approx(T95_4DF, abs=5e-4)

    def test_quieter_baseline_never_narrows(self):
        out = fake_start_scale([0.5, -0.5] * 5)
        assert out["scale"] == pytest.approx(0.5)
        assert out["applied"] == 1.0
        assert out["quantile"] == pytest.approx(T95_10DF, abs=5e-4)

    def test_never_narrower_than_the_largest_miss(self):
        # Nine quiet fake starts and one burst: mean square (9 × 0.25 + 100) / 10 = 10.225, scale
        # 3.198; t (10 df) × scale = 7.12 < 10, so the factor is 10 / 2.228 = 4.488.
        out = fake_start_scale([0.5, -0.5] * 4 + [0.5, 10.0])
        assert out["scale"] == pytest.approx(3.1977, abs=1e-4)
        assert out["largest"] == 10.0
        assert out["applied"] == pytest.approx(10.0 / T95_10DF, abs=2e-3)
        assert out["applied"] * out["quantile"] == pytest.approx(10.0)

    def test_too_few_fake_starts_keep_the_model_interval(self):
        out = fake_start_scale([3.0] * (MIN_FAKE_STARTS - 1))
        assert not out["calibrated"] and out["applied"] == 1.0
        assert out["quantile"] == pytest.approx(Z95, abs=5e-4)
        assert out["scale"] == pytest.approx(3.0)

    def test_non_finite_errors_are_left_out(self):
        out = fake_start_scale([1.0, math.nan, math.inf, 1.0, 1.0])
        assert out["fake_starts"] == 3 and out["scale"] == pytest.approx(1.0)

    def test_no_errors(self):
        out = fake_start_scale([])
        assert out == {"fake_starts": 0, "scale": None, "largest": None, "applied": 1.0,
                       "quantile": pytest.approx(Z95, abs=5e-4), "calibrated": False}  # fmt: skip

    def test_words(self):
        assert "widened by 2.00" in calibration_words(fake_start_scale([2.0, -2.0, 2.0]))
        assert "not checked" in calibration_words(fake_start_scale([]))
