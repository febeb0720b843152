"""Redaction on the hand-written labelled set: reach's patterns against libraries.

Scores each redactor on ``tests/data/redaction_cases.yaml``:

* **caught / missed**: planted personal strings that are gone from the output, or still there
  (as a whole word, ignoring case; an invisible character as itself);
* **cut mid-word**: comments in which a tag touches a letter (``[name]án``: a name cut short);
* **false positives**: words that had to survive beside them (``keep``) but were redacted, plus
  ordinary comments (no personal data) that came out changed.

Redactors: ``reach`` (:func:`reach.core.redaction.redact_text`), ``previous`` (the patterns
``reach.core.disclosure`` had before, read from git), ``scrubadub`` (``Scrubber(locale="en_GB")``
with its ``date_of_birth`` detector; its name detector needs NLTK corpora downloaded at run time,
so it is left out), ``phonenumbers`` (``PhoneNumberMatcher(text, "GB", Leniency.POSSIBLE)``:
phones only). A library that is not installed is skipped with a note; run from an environment
that has them, e.g. ``pip install scrubadub phonenumbers pandas pyyaml`` then
``PYTHONPATH=src python benchmarks/redaction_compare.py``.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import types
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "data" / "redaction_cases.yaml"


#: A tag touching a letter: a word cut mid-way ("[name]án").
CUT = re.compile(r"\][^\W\d_]|[^\W\d_]\[")


def present(planted: str, text: str) -> bool:
    """Whether ``planted`` is still in ``text``: as a whole word (any case), or itself if it has no word."""
    if not re.search(r"\w", planted):
        return planted in text
    return re.search(r"(?<!\w)" + re.escape(planted) + r"(?!\w)", text, re.IGNORECASE) is not None


def score(redact: Callable[[str], str], cases: dict) -> dict:
    """Caught, missed and false positives of one redactor, overall and per class."""
    out = {"caught": 0, "missed": 0, "keep_lost": 0, "ordinary_changed": 0, "cut": 0}
    out["by_class"] = defaultdict(lambda: [0, 0])
    out["missed_examples"], out["fp_examples"] = [], []
    for case in cases["personal"]:
        result = redact(case["text"])
        for planted in case["planted"]:
            if present(str(planted), result):
                out["missed"] += 1
                out["by_class"][case["class"]][1] += 1
                out["missed_examples"].append((case["class"], str(planted), result))
            else:
                out["caught"] += 1
                out["by_class"][case["class"]][0] += 1
        if CUT.search(result):
            out["cut"] += 1
            out["missed_examples"].append((case["class"], "(cut mid-word)", result))
        for keep in case.get("keep") or []:
            if str(keep) not in result:
                out["keep_lost"] += 1
                out["fp_examples"].append((str(keep), result))
    for text in cases["ordinary"]:
        result = redact(text)
        if result != text:
            out["ordinary_changed"] += 1
            out["fp_examples"].append((text, result))
    return out


def _reach() -> Callable[[str], str]:
    from reach.core.redaction import redact_text

    return redact_text


#: The last commit whose reach.core.disclosure held the patterns reach.core.redaction replaced.
PREVIOUS_COMMIT = "adaa4844ad3a64e960cbd1e255c982880b057339"


def _previous() -> Callable[[str], str]:
    """The patterns of reach.core.disclosure before reach.core.redaction (from git)."""
    source = subprocess.run(
        ["git", "show", f"{PREVIOUS_COMMIT}:src/reach/core/disclosure.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    module = types.ModuleType("previous_disclosure")
    exec(compile(source, "previous_disclosure", "exec"), module.__dict__)  # noqa: S102 - our own file
    return module.redact_text


def _scrubadub() -> Callable[[str], str]:
    import scrubadub

    scrubber = scrubadub.Scrubber(locale="en_GB")
    scrubber.add_detector("date_of_birth")
    return scrubber.clean


def _phonenumbers() -> Callable[[str], str]:
    import phonenumbers

    def redact(text: str) -> str:
        matches = list(phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE))
        for match in reversed(matches):
            text = text[: match.start] + "[phone]" + text[match.end :]
        return text

    return redact


REDACTORS = {"reach": _reach, "previous": _previous, "scrubadub": _scrubadub, "phonenumbers": _phonenumbers}


PARTS = {
    "tuning set": ("personal", "ordinary"),
    "held-out set": ("held_out_personal", "held_out_ordinary"),
}


def report(title: str, cases: dict, redactors: dict, show: bool) -> None:
    """Print one part's table: per class and overall, one column per redactor."""
    planted = sum(len(c["planted"]) for c in cases["personal"])
    keeps = sum(len(c.get("keep") or []) for c in cases["personal"])
    print(
        f"\n## {title}: {len(cases['personal'])} comments with {planted} planted strings "
        f"({keeps} words beside them to keep); {len(cases['ordinary'])} ordinary comments"
    )
    results = {name: score(redact, cases) for name, redact in redactors.items()}
    print(f"{'':18}" + "".join(f"{name:>14}" for name in results))
    for cls in sorted({c["class"] for c in cases["personal"]}):
        print(
            f"{cls:18}"
            + "".join(f"{r['by_class'][cls][0]:>7}/{sum(r['by_class'][cls]):<6}" for r in results.values())
        )
    for label, key in (("caught", "caught"), ("missed", "missed"), ("cut mid-word", "cut"),
                       ("keep words lost", "keep_lost"), ("ordinary changed", "ordinary_changed")):  # fmt: skip
        print(f"{label:18}" + "".join(f"{r[key]:>14}" for r in results.values()))
    if show:
        for name, r in results.items():
            print(f"\n== {name}")
            for cls, string, result in r["missed_examples"]:
                print(f"  missed [{cls}] {string!r}: {result!r}")
            for string, result in r["fp_examples"]:
                print(f"  false positive {string!r}: {result!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="list every miss and false positive")
    parser.add_argument("redactors", nargs="*", default=list(REDACTORS), help=", ".join(REDACTORS))
    args = parser.parse_args(argv)
    data = yaml.safe_load(CASES.read_text(encoding="utf-8"))
    redactors = {}
    for name in args.redactors:
        try:
            redactors[name] = REDACTORS[name]()
        except ImportError as err:
            print(f"{name}: not installed ({err})")
    for title, (personal, ordinary) in PARTS.items():
        report(title, {"personal": data[personal], "ordinary": data[ordinary]}, redactors, args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
