from reach.report import methodology


class TestMethodology:
    def test_names_every_method_with_settings_in_force(self):
        settings = {
            "reach": {"consent_rate": {"low": 0.5, "high": 0.8}},
            "suppression": {"high": 7, "round_to": 5},
        }
        html = methodology.methodology(settings).data
        for method in (
            "Consent adjustment", "Page bounds", "Survey-based duplication", "Log-linear capture–recapture",
            "random duplication", "health-visitor recall", "Estimates and ranges", "Sensitivity",
            "Wilson interval", "Newcombe interval",
            "Interrupted time series (quasi-Poisson)", "Structural time-series counterfactual",
            "NHS small-number suppression", "Status (red, amber, green)",
        ):  # fmt: skip
            assert method in html, method
        assert "(50% to 80%)" in html
        assert "1 to 7 is shown as *" in html
