import yaml

from reach.config import load_config, project_root, sample_dir
from reach.run.paths import RunPaths


class TestRunPaths:
    def test_sample_defaults(self):
        paths = RunPaths.from_arguments(["--sample"])
        assert paths.raw == sample_dir() / "raw"
        assert paths.reference == sample_dir() / "reference"
        assert paths.processed == project_root() / "data" / "processed" / "sample"
        assert paths.sample

    def test_given_folders(self, tmp_path):
        config = tmp_path / "reach.yaml"
        config.write_text(yaml.safe_dump({**load_config(), "reference_dir": str(tmp_path / "ref")}))
        arguments = ["--raw", str(tmp_path / "raw"), "--processed", str(tmp_path / "p"), "--reports",
                     str(tmp_path / "r"), "--config", str(config)]  # fmt: skip
        paths = RunPaths.from_arguments(arguments)
        assert (paths.raw, paths.processed, paths.reports, paths.reference, paths.config) == (
            tmp_path / "raw",
            tmp_path / "p",
            tmp_path / "r",
            tmp_path / "ref",
            config,
        )
        assert not paths.sample

    def test_a_range_gives_every_month_the_same_paths(self, tmp_path):
        paths = RunPaths.resolve(raw=tmp_path / "raw", reference=tmp_path / "ref", processed=tmp_path / "p")
        assert RunPaths.from_arguments(paths.as_arguments()) == paths
