from reach.core import formatting


class TestFormatting:
    def test_values(self):
        assert formatting.format_value(1787.6, "people") == "1,788"
        assert formatting.format_value(0.7716, "share") == "77%"
        assert formatting.format_value(-0.05, "relative") == "-5%"
        assert formatting.format_value(None, "share") == "–"

    def test_changes_in_people_and_points(self):
        assert formatting.format_change(-232, "people") == "-232"
        assert formatting.format_change(0.154, "share") == "+15 points"
        assert formatting.format_change(0.01, "share") == "+1 point"
        assert formatting.format_change_interval(0.0055, 0.3053, "share") == "+1 to +31 points"
        assert formatting.format_change_interval(-120, 1340, "people") == "-120 to +1,340"
