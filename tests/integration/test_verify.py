"""`reach verify`: a reviewer re-runs a month and learns whether every number, output and page is the same.

One sample run (the session's ``sample_run``) is copied, and one kind of tampering is applied to
each copy: a number in ``summary.json``, a byte of a raw file, a notebook output, the text of
``report.html``, a hash in ``manifest.json``. Each must give exit 1 naming what was tampered
with, and nothing else.
"""

from __future__ import annotations

import json
import re
import shutil

import pytest

from tests.conftest import REPO_ROOT, run_cli

pytestmark = pytest.mark.integration
SAMPLE = REPO_ROOT / "src" / "reach" / "sample_data"


def differences(stdout: str) -> list[str]:
    """The lines under "NOT reproduced", each ``"<what>: <difference>"``."""
    return [line.strip() for line in stdout.splitlines() if line.startswith("  ")]


@pytest.fixture
def copy(sample_run, tmp_path):
    """A copy of the sample run's reports folder (the month's folder and index.html) to tamper with."""
    reports = tmp_path / "reports"
    shutil.copytree(sample_run.reports, reports)
    return reports


def verify(month, reports, *extra):
    return run_cli("verify", "--month", month, "--reports", str(reports), *extra)


def test_untouched_month_is_reproduced_and_says_what_it_compared(sample_run, copy):
    manifest = json.loads((copy / sample_run.month / "manifest.json").read_text())
    result = verify(sample_run.month, copy)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert lines[-2].startswith(
        f"reproduced: every input, summary.json value, notebook output and page of {sample_run.month}"
    )
    counted = len(manifest["inputs"]) + len(manifest["notebooks"]) + 1  # + the settings file
    figures = sum(
        len(re.findall(r"<img\b", (copy / sample_run.month / page).read_text()))
        for page in ("report.html", "appendix.html")
    )
    assert lines[-1].startswith(f"compared {counted:,} inputs, ")
    assert (
        f" code cells of {len(manifest['notebooks'])} notebook(s), {figures:,} figures and 3 pages "
        in lines[-1]
    )
    assert lines[-1].endswith(f"(report.html, appendix.html, the {sample_run.month} row of index.html)")


def test_number_in_summary_json_is_named(sample_run, copy):
    path = copy / sample_run.month / "summary.json"
    summary = json.loads(path.read_text())
    views = summary["web"]["page_views"]
    summary["web"]["page_views"] = views + 1
    path.write_text(json.dumps(summary, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    result = verify(sample_run.month, copy)
    assert result.returncode == 1, result.stderr[-3000:]
    assert differences(result.stdout) == [
        f"summary.json: web.page_views: {views + 1} in the report, {views} on re-running"
    ]


def test_byte_of_raw_file_is_named_and_the_manifest_is_not_blamed(sample_run, copy, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(SAMPLE / "raw", raw)
    victim = raw / sample_run.month / "youtube" / "Totals.csv"
    data = bytearray(victim.read_bytes())
    position = data.index(b"\n", data.index(b"\n") + 1) - 1  # the last digit of the first day's views
    assert chr(data[position]).isdigit()
    data[position] = ord("1") if data[position] != ord("1") else ord("2")  # one byte, still a number
    victim.write_bytes(bytes(data))
    result = verify(sample_run.month, copy, "--raw", str(raw))
    assert result.returncode == 1, result.stderr[-3000:]
    found = differences(result.stdout)
    assert (
        f"inputs: changed: {sample_run.month}/youtube/Totals.csv (its SHA-256 differs from the one recorded)"
        in found
    )
    assert not [line for line in found if line.startswith("manifest.json")]


def test_notebook_output_is_named_by_notebook_and_cell(sample_run, copy):
    path = copy / sample_run.month / "reach_monthly_report.ipynb"
    book = json.loads(path.read_text())
    code = [cell for cell in book["cells"] if cell["cell_type"] == "code"]
    target, output = next(
        (number, output)
        for number, cell in enumerate(code)
        for output in cell.get("outputs", [])
        if re.search(r">\d", "".join(output.get("data", {}).get("text/html", "")))
    )
    html = "".join(output["data"]["text/html"])
    digit = re.search(r">(\d)", html).group(1)
    output["data"]["text/html"] = [html.replace(f">{digit}", f">{(int(digit) + 1) % 10}", 1)]
    path.write_text(json.dumps(book))
    result = verify(sample_run.month, copy)
    assert result.returncode == 1, result.stderr[-3000:]
    found = differences(result.stdout)
    assert len(found) == 1, found
    assert found[0].startswith(f"notebook cells: reach_monthly_report.ipynb code cell {target} (")
    assert ": outputs differ: " in found[0]


def test_report_text_is_named_with_the_passage(sample_run, copy):
    path = copy / sample_run.month / "report.html"
    page = path.read_text()
    body = page.index("<main")
    text = re.compile(r">([^<>]*[A-Za-z][^<>]*\d[^<>]*)<").search(page, body)
    start = text.start(1) + re.search(r"\d", text.group(1)).start()
    digit = page[start]
    tampered = str((int(digit) + 1) % 10)
    path.write_text(page[:start] + tampered + page[start + 1 :])
    result = verify(sample_run.month, copy)
    assert result.returncode == 1, result.stderr[-3000:]
    found = differences(result.stdout)
    assert len(found) == 1, found
    assert found[0].startswith("pages: report.html: text under ")
    words = text.group(1)[: start - text.start(1)].split()
    if words:  # the passage quoted is the tampered one
        assert words[-1] in found[0].split("«")[1]


def test_edited_manifest_hash_is_told_apart_from_a_changed_file(sample_run, copy):
    path = copy / sample_run.month / "manifest.json"
    manifest = json.loads(path.read_text())
    item = next(item for item in manifest["inputs"] if item["role"] == "raw export")
    last = item["sha256"][-1]
    item["sha256"] = item["sha256"][:-1] + ("0" if last != "0" else "1")  # past the start shown on the page
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    result = verify(sample_run.month, copy)
    assert result.returncode == 1, result.stderr[-3000:]
    found = differences(result.stdout)
    assert found[0].startswith("manifest.json: edited after the run")
    assert any(line.startswith(f"manifest.json: the SHA-256 recorded for {item['path']} ") for line in found)
    assert all(line.startswith("manifest.json: ") for line in found), found


def test_missing_report_is_a_one_line_error(tmp_path):
    result = run_cli("verify", "--month", "2026-10", "--reports", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr.strip().startswith("reach: error: no manifest.json")
    assert "Traceback" not in result.stderr
