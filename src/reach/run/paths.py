"""The folders and settings file of a run, resolved from the command-line options in one place.

``reach run`` for one month, ``reach run --from/--to`` and the backfill's parse-cache warm-up all
find their folders here, so they can never disagree about where a month's inputs are.
(``reach verify`` reads the folders a run recorded in its ``manifest.json`` instead.)
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reach.config import load_config, project_root, sample_dir, setting
from reach.errors import ReachError


@dataclass(frozen=True)
class RunPaths:
    """Where one run reads and writes.

    Attributes
    ----------
    raw : pathlib.Path
        Folder of ``YYYY-MM/`` folders of raw exports.
    processed : pathlib.Path
        Root of the processed tables (and the parse cache).
    reports : pathlib.Path
        Root of the report folders.
    reference : pathlib.Path
        Folder of ``assets.csv``, ``campaigns.csv`` and ``births.csv``.
    config : pathlib.Path
        The settings file.
    sample : bool
        True for the bundled synthetic sample.
    """

    raw: Path
    processed: Path
    reports: Path
    reference: Path
    config: Path
    sample: bool = False

    @classmethod
    def resolve(
        cls,
        *,
        sample: bool = False,
        raw: Path | None = None,
        processed: Path | None = None,
        reports: Path | None = None,
        reference: Path | None = None,
        config: Path | None = None,
        settings: dict[str, Any] | None = None,
    ) -> RunPaths:
        """Fill in the defaults of every folder not given.

        Parameters
        ----------
        sample : bool
            Use the bundled sample: its raw exports and reference tables, and
            ``data/processed/sample`` for the tables.
        raw, processed, reports, reference, config : pathlib.Path, optional
            Folders given on the command line.
        settings : dict, optional
            Loaded settings (for ``reference_dir``); read from ``config`` when not given.

        Returns
        -------
        RunPaths

        Examples
        --------
        >>> paths = RunPaths.resolve(sample=True)
        >>> (paths.raw.name, paths.reference.name, paths.processed.name)
        ('raw', 'reference', 'sample')
        """
        root = project_root()
        config = config or root / "config" / "reach.yaml"
        reports = reports or root / "reports"
        if sample:
            base = sample_dir()
            return cls(base / "raw", processed or root / "data" / "processed" / "sample", reports,
                       base / "reference", config, True)  # fmt: skip
        if reference is None:
            settings = settings if settings is not None else load_config(config)
            reference = root / setting(settings, "reference_dir")
        return cls(raw or root / "data" / "raw", processed or root / "data" / "processed", reports, reference,
                   config)  # fmt: skip

    def sample_months(self) -> list[str]:
        """The months of the bundled sample, oldest first.

        Raises
        ------
        ReachError
            If the sample folder is missing.
        """
        months = sorted(p.name for p in self.raw.iterdir() if p.is_dir()) if self.raw.is_dir() else []
        if not months:
            base = self.raw.parent
            raise ReachError(
                f"the bundled sample is missing from {base}; restore it with `git checkout -- {base}`"
            )
        return months

    def as_arguments(self) -> list[str]:
        """The ``reach run`` options that give these paths again (for the months of a range).

        Examples
        --------
        >>> RunPaths.resolve(sample=True).as_arguments()[0]
        '--sample'
        """
        arguments = (
            ["--sample"] if self.sample else ["--raw", str(self.raw), "--reference", str(self.reference)]
        )
        return [*arguments, "--processed", str(self.processed), "--reports", str(self.reports),
                "--config", str(self.config)]  # fmt: skip

    @classmethod
    def from_arguments(cls, arguments: Sequence[str]) -> RunPaths:
        """Read :meth:`as_arguments`' options back.

        Examples
        --------
        >>> paths = RunPaths.resolve(sample=True)
        >>> RunPaths.from_arguments(paths.as_arguments()) == paths
        True
        """
        parser = argparse.ArgumentParser(add_help=False)
        parser.add_argument("--sample", action="store_true")
        for option in ("--raw", "--processed", "--reports", "--reference", "--config"):
            parser.add_argument(option, type=Path)
        args, _ = parser.parse_known_args(list(arguments))
        return cls.resolve(sample=args.sample, raw=args.raw, processed=args.processed, reports=args.reports,
                           reference=args.reference, config=args.config)  # fmt: skip
