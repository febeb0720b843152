import pandas as pd

from reach.run.quotes import candidate_lines

COLUMNS = ["source", "theme", "comments", "sha256", "approved", "text"]
SETTINGS = {"impact": {"themes_months": 3, "themes_min_n": 10, "themes_max_quotes": 2}}


def _frame(rows):
    return pd.DataFrame(rows, columns=COLUMNS)


class TestCandidateLines:
    def test_explains_then_lists_each_theme_with_hashes_and_approval(self):
        frame = _frame(
            [
                ("feedback_form", "Cot", 12, "a" * 64, False, "cot advice"),
                ("feedback_form", "Cot", 12, "b" * 64, True, "cot again"),
                ("page_feedback", "Thanks", 20, "c" * 64, False, "thank you"),
            ]
        )
        lines = candidate_lines(frame, "2026-10", SETTINGS, "config/approved_quotes.csv")
        assert lines[0].startswith(
            "Candidate quotes for 2026-10: comments of 2026-08 to 2026-10, themes with at least 10"
        )
        assert "up to 2 approved quotes per theme" in lines[0]
        assert "config/approved_quotes.csv (sha256,approved_by,approved_on,note)" in lines[1]
        assert lines[4:] == [
            "",
            "Feedback form, Cot (12 comments): 2 candidates, 1 approved",
            "  -         " + "a" * 64 + "  cot advice",
            "  approved  " + "b" * 64 + "  cot again",
            "",
            "Page feedback, Thanks (20 comments): 1 candidate, 0 approved",
            "  -         " + "c" * 64 + "  thank you",
        ]

    def test_lists_at_most_per_theme_but_always_the_approved(self):
        frame = _frame([("feedback_form", "Cot", 12, f"{i:064d}", i == 3, f"cot {i}") for i in range(4)])
        lines = candidate_lines(frame, "2026-10", SETTINGS, "approved.csv", per_theme=1)
        assert [line[-5:] for line in lines if "  cot " in line] == ["cot 0", "cot 3"]
        assert lines[-1] == "  … 2 more (--per-theme N lists more)"

    def test_a_quote_prints_on_one_line_without_invisible_or_control_characters(self):
        frame = _frame([("feedback_form", "Cot", 12, "a" * 64, False, "line one\nline\u202e two\x1b[31m")])
        assert candidate_lines(frame, "2026-10", SETTINGS, "approved.csv")[-1].endswith(
            "line one / line two[31m"
        )

    def test_no_candidate_says_so(self):
        lines = candidate_lines(_frame([]), "2026-10", SETTINGS, "approved.csv")
        assert lines[-1].startswith("No theme has enough comments for quotes this month")


class TestQuotesCommand:
    def test_lists_the_sample_candidates_redacted_and_writes_nothing(self, tmp_path, monkeypatch, capsys):
        import tempfile

        from reach.run import cli as run_cli

        monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the scratch build goes here
        assert run_cli.main(["quotes", "--sample", "--month", "2026-10"]) == 0
        out = capsys.readouterr().out
        # config/approved_quotes.csv approves it; printf '%s' 'Thank you, very clear.' | sha256sum
        thanks = "e97a4c79b954fd197422e9b516e1e8d0cfac06682f8a02a8297ea6730680d419"
        assert f"  approved  {thanks}  Thank you, very clear." in out
        assert "Thanks, [name]" in out and "Priya" not in out  # a planted sign-off, redacted
        assert list(tmp_path.iterdir()) == []  # the temporary build is gone
