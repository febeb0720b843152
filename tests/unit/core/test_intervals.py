import pytest

from reach.core import intervals


class TestWilsonInterval:
    # R binom::binom.confint values stored in statsmodels' test results (methods.md §5.1).
    @pytest.mark.parametrize(
        ("k", "n", "low", "high"),
        [
            (4, 20, 0.0806576625797981, 0.4160174322518935),
            (18, 20, 0.6989663547715128, 0.972133518786232),
            (4, 200, 0.00780442641634947, 0.05028708690582643),
            (190, 200, 0.910421851861224, 0.972617354399236),
            (0, 30, 0.0, 0.11351339),
        ],
    )
    def test_matches_r_reference_values(self, k, n, low, high):
        got_low, got_high = intervals.wilson_interval(k, n)
        assert got_low == pytest.approx(low, abs=1e-8)
        assert got_high == pytest.approx(high, abs=1e-8)

    def test_rejects_empty_denominator(self):
        with pytest.raises(ValueError):
            intervals.wilson_interval(0, 0)

    def test_rejects_more_successes_than_trials(self):
        with pytest.raises(ValueError):
            intervals.wilson_interval(5, 4)


class TestProportionEstimate:
    def test_names_method_and_counts(self):
        result = intervals.proportion_estimate(4, 20)
        assert result["estimate"] == 0.2
        assert result["n"] == 20
        assert "Wilson" in result["method"]

    def test_zero_trials_gives_no_estimate(self):
        assert intervals.proportion_estimate(0, 0)["estimate"] is None
