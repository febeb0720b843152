import hashlib

from reach.summary import monthly

SUMMARY = {
    "month": "2026-10",
    "sample": True,
    "impact": {
        "themes": {"sources": {"form": {"themes": [{"theme": "Sleep", "comments": "10", "quotes": ["q"]}]}}}
    },
}
# The file as written: keys sorted, two-space indent, final newline, quotes left out (by hand).
EXPECTED = (
    '{\n  "impact": {\n    "themes": {\n      "sources": {\n        "form": {\n          "themes": [\n'
    '            {\n              "comments": "10",\n              "theme": "Sleep"\n            }\n'
    '          ]\n        }\n      }\n    }\n  },\n  "month": "2026-10",\n  "sample": true\n}\n'
)


class TestWriteSummary:
    def test_writes_the_figures_without_quotes_and_prints_their_fingerprint(self, tmp_path, capsys):
        target = tmp_path / "summary.json"
        monthly.write_summary(SUMMARY, target)
        assert target.read_text(encoding="utf-8") == EXPECTED
        digest = hashlib.sha256(EXPECTED.encode()).hexdigest()
        assert capsys.readouterr().out == f"summary.json holds these figures, SHA-256 {digest}\n"

    def test_same_figures_again_print_the_same_line_and_leave_the_file(self, tmp_path, capsys):
        target = tmp_path / "summary.json"
        monthly.write_summary(SUMMARY, target)
        first = capsys.readouterr().out
        stamp = target.stat().st_mtime_ns
        monthly.write_summary(SUMMARY, target)
        assert capsys.readouterr().out == first
        assert target.stat().st_mtime_ns == stamp

    def test_never_overwrites_different_figures(self, tmp_path, capsys):
        target = tmp_path / "summary.json"
        target.write_text('{"month": "2026-10", "published": true}\n', encoding="utf-8")
        monthly.write_summary(SUMMARY, target)
        assert "NOT replaced" in capsys.readouterr().out
        assert target.read_text(encoding="utf-8") == '{"month": "2026-10", "published": true}\n'

    def test_no_path_writes_nothing(self, tmp_path, capsys, monkeypatch):
        monkeypatch.chdir(tmp_path)
        monthly.write_summary(SUMMARY, "")
        assert "not written" in capsys.readouterr().out
        assert list(tmp_path.iterdir()) == []

    def test_a_relative_path_is_taken_from_the_working_directory(self, tmp_path, capsys, monkeypatch):
        monkeypatch.chdir(tmp_path)
        monthly.write_summary(SUMMARY, "summary.json")
        assert (tmp_path / "summary.json").read_text(encoding="utf-8") == EXPECTED


class TestImpactForSummary:
    def test_quotes_and_their_approval_state_stay_out_of_summary_json(self):
        theme = {"theme": "Sleep", "comments": "10", "share": 0.5, "quotes": ["q"], "quotes_pending": True}
        impact = {"themes": {"min_n": 10, "sources": {"form": {"comments": "20", "themes": [theme]}}}}
        out = monthly.impact_for_summary(impact)
        assert out["themes"]["sources"]["form"]["themes"] == [
            {"theme": "Sleep", "comments": "10", "share": 0.5}
        ]
        assert impact["themes"]["sources"]["form"]["themes"][0]["quotes"] == ["q"]  # the input is not changed
