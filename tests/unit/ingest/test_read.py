# ruff: noqa: E501, W291 - hand-written CSV fixtures keep real long headers and GA4 "#  " lines

from __future__ import annotations

import io
import os
import zipfile

import pytest

from reach.errors import InputValidationError, ReachError
from reach.ingest import read
from reach.ingest.limits import ReadLimits
from reach.ingest.read import find_exports, parse_export, parse_exports, read_export, read_exports
from tests.unit.ingest.exports import PAGES, YT_TABLE, _zip, ga4

TOTALS = b"Date,Views\n2025-06-13,0\n"


def deflated(members: dict[str, bytes]) -> bytes:
    """A zip archive whose members are compressed, as real downloads are."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


class TestParseExport:
    def test_never_leaks_raw_exceptions(self):
        samples = [
            b"\xff\xfe\x00",  # truncated UTF-16
            b"Timestamp,Q\n99/99/2026 10:00,a\n",
            b"Date,Views\n2025-02-30,1\n",
            b"\xc3\x28Content,Video title\n",  # invalid UTF-8 -> Windows-1252 fallback
            b"PK\x03\x04garbage",
            ga4("Date,Views\n2026022x,1"),
        ]
        for data in samples:
            try:
                parse_export(data, "bad.csv")
            except ReachError as err:
                assert "bad.csv" in str(err)
            except Exception as err:  # pragma: no cover - the assertion message is the point
                pytest.fail(f"raw {type(err).__name__} escaped for {data[:20]!r}: {err}")

    def test_windows_1252_fallback_warns(self):
        data = "Timestamp,Comment\n13/05/2026 10:00:00,café\n".encode("cp1252")
        e = parse_export(data, "f.csv")
        assert e.table.loc[0, "Comment"] == "café"
        assert any("Windows-1252" in w for w in e.warnings)

    def test_semicolon_separated_resave(self):
        e = parse_export(b"Date;Views\n2025-06-13;4\n2025-06-14;5\n", "Totals.csv")
        assert e.kind == "youtube_totals" and e.rows == 2
        assert any("separated by ';'" in w for w in e.warnings)

    def test_zip_members(self):
        data = _zip(
            {
                "Table data.csv": YT_TABLE.encode(),
                "Chart data.csv": b"Date,Content,Video title,Video publish time,Duration,Views\n2025-06-13,abc,T,,5,0\n",
                "Totals.csv": b"Date,Views\n2025-06-13,0\n",
                "__MACOSX/._Table data.csv": b"junk",
            }
        )
        e = parse_export(data, "Content 2025-06-13_2026-06-12 Channel.zip")
        assert e.kind == "youtube_table" and e.path.name == "Table data.csv"
        assert sorted(m.kind for m in e.meta["members"]) == [
            "youtube_chart",
            "youtube_table",
            "youtube_totals",
        ]
        assert any("3 exports" in w for w in e.warnings)
        kinds = [x.kind for x in parse_exports(data, "c.zip")]
        assert kinds == ["youtube_chart", "youtube_table", "youtube_totals"]  # member name order

    @pytest.mark.parametrize("bad", ["../evil.csv", "/etc/evil.csv", "a/../../evil.csv"])
    def test_zip_rejects_unsafe_member_paths(self, bad):
        data = _zip({bad: YT_TABLE.encode()})
        with pytest.raises(InputValidationError, match="absolute or '..' path"):
            parse_export(data, "c.zip")

    def test_zip_over_the_unpacked_limit_is_refused_before_unpacking(self):
        data = _zip({"Table data.csv": YT_TABLE.encode(), "Totals.csv": TOTALS})
        unpacked = len(YT_TABLE.encode()) + len(TOTALS)
        tight = ReadLimits(
            zip_max_unpacked_mb=(unpacked - 1) / 2**20, zip_max_ratio=100, totals_min_share=0.5
        )
        with pytest.raises(
            InputValidationError, match=r"^c\.zip: the zip archive would unpack to \d+ KB, more than"
        ):
            parse_exports(data, "c.zip", limits=tight)
        roomy = ReadLimits(zip_max_unpacked_mb=unpacked / 2**20, zip_max_ratio=100, totals_min_share=0.5)
        assert len(parse_exports(data, "c.zip", limits=roomy)) == 2

    def test_zip_member_over_the_ratio_is_refused(self):
        body = b"Date,Views\n" + b"2025-06-13,0\n" * 100_000  # 1.3 MB of one line
        with pytest.raises(
            InputValidationError, match=r"value 'Totals\.csv': the zip archive member unpacks to"
        ):
            parse_exports(deflated({"Totals.csv": body}), "c.zip")

    def test_workbook_over_the_limits_is_refused_before_it_is_opened(self):
        # A zip with the workbook part is taken for .xlsx; its sheet would unpack to 1.3 MB of zeros.
        data = deflated({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b"0" * 1_300_000})
        with pytest.raises(
            InputValidationError,
            match=r"^f\.xlsx, value 'xl/worksheets/sheet1\.xml': the Excel workbook member",
        ):
            parse_export(data, "f.xlsx")

    def test_the_safety_net_names_the_exception_type_only(self, monkeypatch):
        def broken(*args):
            raise ValueError("could not convert 'private text' to float")

        monkeypatch.setattr(read, "_parse_doc", broken)
        with pytest.raises(InputValidationError) as err:
            parse_export(TOTALS, "Totals.csv")
        assert str(err.value) == (
            "Totals.csv: could not parse the file (ValueError); check it is an unmodified download"
        )


class TestReadExport:
    def test_reads_file_without_writing(self, tmp_path):
        p = tmp_path / "Pages.csv"
        p.write_bytes(ga4(PAGES))
        before = sorted(tmp_path.iterdir())
        e = read_export(p)
        assert e.kind == "ga4_report" and e.path == p
        assert sorted(tmp_path.iterdir()) == before

    def test_missing_file(self, tmp_path):
        with pytest.raises(InputValidationError, match="not found"):
            read_export(tmp_path / "nope.csv")

    def test_folder_is_not_a_file(self, tmp_path):
        with pytest.raises(InputValidationError, match="folder"):
            read_export(tmp_path)

    def test_a_link_is_refused_without_being_read(self, tmp_path):
        private = tmp_path / "private.csv"
        private.write_bytes(b"Date,Views\n2025-06-13,secret-7f3a\n")  # would fail, quoting the value, if read
        link = tmp_path / "month" / "Totals.csv"
        link.parent.mkdir()
        link.symlink_to(private)
        for reader in (read_export, read_exports):
            with pytest.raises(InputValidationError) as err:
                reader(link)
            assert str(err.value).startswith(f"{link}: this is a symbolic link, which reach never follows")
            assert "secret" not in str(err.value)

    def test_read_exports_zip(self, tmp_path):
        p = tmp_path / "yt.zip"
        p.write_bytes(
            _zip({"Table data.csv": YT_TABLE.encode(), "Totals.csv": b"Date,Views\n2025-06-13,0\n"})
        )
        assert [e.kind for e in read_exports(p)] == ["youtube_table", "youtube_totals"]
        assert read_export(p).kind == "youtube_table"


class TestFindExports:
    def test_recursive_sorted_skipping_junk(self, tmp_path):
        for rel in [
            "b.csv",
            "a/z.csv",
            "a/y.xlsx",
            ".hidden.csv",
            ".git/x.csv",
            "README.md",
            "readme.txt",
            "a/.gitkeep",
            "~$lock.xlsx",
        ]:
            p = tmp_path / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(b"x")
        got = [p.relative_to(tmp_path).as_posix() for p in find_exports(tmp_path)]
        assert got == ["a/y.xlsx", "a/z.csv", "b.csv"]

    def test_missing_folder(self, tmp_path):
        with pytest.raises(InputValidationError, match="does not exist"):
            find_exports(tmp_path / "2026-13")

    def test_links_are_listed_but_never_entered(self, tmp_path):
        outside = tmp_path / "outside"
        (outside / "folder").mkdir(parents=True)
        (outside / "folder" / "Totals.csv").write_bytes(TOTALS)
        (outside / "Totals.csv").write_bytes(TOTALS)
        month = tmp_path / "2026-10"
        (month / "youtube").mkdir(parents=True)
        (month / "youtube" / "Table data.csv").write_bytes(YT_TABLE.encode())
        (month / "Totals.csv").symlink_to(outside / "Totals.csv")
        (month / "linked").symlink_to(outside / "folder", target_is_directory=True)
        (month / "gone.csv").symlink_to(tmp_path / "nowhere.csv")
        (month / ".hidden-link").symlink_to(outside / "Totals.csv")
        got = [p.relative_to(month).as_posix() for p in find_exports(month)]
        assert got == ["Totals.csv", "gone.csv", "linked", "youtube/Table data.csv"]

    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need a POSIX system")
    def test_a_pipe_is_listed_and_then_refused(self, tmp_path):
        os.mkfifo(tmp_path / "Totals.csv")
        [pipe] = find_exports(tmp_path)
        with pytest.raises(InputValidationError, match="not a regular file"):
            read_exports(pipe)
