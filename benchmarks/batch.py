"""Speed of the monthly batch, measured side by side in one run (issue: a/b <= 1.5).

(a) `reach run --sample`, the whole batch: build + every notebook + HTML + manifest;
(b) the floor: papermill executing a notebook that only imports the stack, plus one HTML render;
(c) the naive loop an analyst would script: the `papermill` CLI then the `jupyter nbconvert` CLI
    for each report notebook (on tables (a) already built).

Each is a fresh process, timed by wall clock, repeated in interleaved rounds; medians are compared.
Usage: python benchmarks/batch.py [--rounds N]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
STACK_IMPORTS = "import numpy, pandas, matplotlib, statsmodels.api, pyarrow, reach"
FLOOR_SCRIPT = """
import sys, nbformat, papermill
from nbconvert import HTMLExporter
from traitlets.config import Config
quiet = Config({"KernelManager": {"transport_encryption": "auto"}})
papermill.execute_notebook(sys.argv[1], sys.argv[2], kernel_name="python3", progress_bar=False, config=quiet)
config = Config(); config.TemplateExporter.exclude_input = True
html, _ = HTMLExporter(config=config).from_notebook_node(nbformat.read(sys.argv[2], as_version=4))
open(sys.argv[3], "w").write(html)
"""


def timed(command: list[str], cwd: Path = ROOT) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--notebooks",
        type=int,
        default=0,
        help="run the batch with this many report notebooks (copies of the configured ones) to show how it scales",
    )
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    import yaml

    from reach.config import load_config

    settings = load_config()
    notebooks = [ROOT / "notebooks" / name for name in settings["notebooks"]]
    work = Path(tempfile.mkdtemp(prefix="reach-bench-"))
    config_args: list[str] = []
    if args.notebooks:
        copies = []
        for index in range(args.notebooks):
            source = notebooks[index % len(notebooks)]
            copy = work / f"{source.stem}_{index + 1}.ipynb"
            shutil.copy(source, copy)
            copies.append(copy)
        notebooks = copies
        config = work / "reach.yaml"
        config.write_text(yaml.safe_dump({**settings, "notebooks": [str(p) for p in copies]}))
        config_args = ["--config", str(config)]
    floor_nb = work / "floor.ipynb"
    import nbformat

    book = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(STACK_IMPORTS)])
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(book, floor_nb)
    (work / "floor.py").write_text(FLOOR_SCRIPT)

    times: dict[str, list[float]] = {"a": [], "b": [], "c": []}
    month = None
    for round_number in range(args.rounds):
        out = work / f"round{round_number}"
        times["a"].append(
            timed(
                [
                    sys.executable,
                    "-m",
                    "reach",
                    "run",
                    "--sample",
                    "--reports",
                    str(out / "reports"),
                    "--processed",
                    str(out / "processed"),
                    *config_args,
                ]
            )
        )
        month = next(p for p in (out / "reports").iterdir() if p.is_dir() and not p.name.startswith(".")).name
        times["b"].append(
            timed(
                [
                    sys.executable,
                    str(work / "floor.py"),
                    str(floor_nb),
                    str(out / "floor-out.ipynb"),
                    str(out / "floor.html"),
                ]
            )
        )
        naive = 0.0
        for notebook in notebooks:
            executed = out / "naive" / notebook.name
            executed.parent.mkdir(parents=True, exist_ok=True)
            naive += timed(
                [
                    str(BIN / "papermill"),
                    str(notebook),
                    str(executed),
                    "-p",
                    "report_month",
                    month,
                    "-p",
                    "processed_dir",
                    str(out / "processed" / month),
                    "-p",
                    "sample",
                    "True",
                    "-k",
                    "python3",
                    "--cwd",
                    str(ROOT),
                ]
            )
            naive += timed([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)])
        times["c"].append(naive)
        print(
            f"round {round_number + 1}: a={times['a'][-1]:.2f}s b={times['b'][-1]:.2f}s c={times['c'][-1]:.2f}s",
            file=sys.stderr,
        )
    a, b, c = (statistics.median(times[k]) for k in "abc")
    result = {
        "notebooks": len(notebooks),
        "rounds": args.rounds,
        "a_reach_run_sample_s": round(a, 2),
        "b_floor_papermill_imports_plus_html_s": round(b, 2),
        "c_naive_papermill_then_nbconvert_cli_s": round(c, 2),
        "ratio_a_over_b": round(a / b, 2),
        "ratio_c_over_a": round(c / a, 2),
        "target_a_over_b": 1.5,
    }
    print(json.dumps(result, indent=2))
    print(f"a/b = {a / b:.2f} (target <= 1.5)   c/a = {c / a:.2f} (for information)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
