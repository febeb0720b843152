import base64
import io

import nbformat
import pytest
from matplotlib.figure import Figure

from reach.errors import NotebookError
from reach.report import manifest as report_manifest
from reach.report import render


def _png() -> str:
    figure = Figure(figsize=(2, 1))
    figure.add_subplot().plot([0, 1], [0, 1])
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return base64.b64encode(buffer.getvalue()).decode()


def _notebook(alt: str | None, stderr: str = "", html: str = "") -> nbformat.NotebookNode:
    image = nbformat.v4.new_output("display_data", data={"image/png": _png(), "text/plain": "chart"})
    if alt is not None:
        image.metadata = {"image/png": {"alt": alt}}
    outputs = [image]
    if stderr:
        outputs.append(nbformat.v4.new_output("stream", name="stderr", text=stderr))
    if html:
        outputs.append(nbformat.v4.new_output("display_data", data={"text/html": html, "text/plain": "t"}))
    return nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Report title"),
            nbformat.v4.new_markdown_cell("## Web pages"),
            nbformat.v4.new_code_cell("secret_code_marker = 1", outputs=outputs, execution_count=1),
            nbformat.v4.new_markdown_cell("## Videos"),
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )


class TestRenderHtml:
    def test_offline_alt_text_no_code_and_contents(self):
        html = render.render_html(_notebook("Line chart of views rising"))
        assert "<script" not in html
        assert 'alt="Line chart of views rising"' in html
        assert "secret_code_marker" not in html
        assert 'aria-label="Contents"' in html and 'href="#Web-pages"' in html
        assert 'lang="en-GB"' in html
        assert "cdnjs" not in html and "http://" not in html.split("<body", 1)[1].split("data:image")[0]

    def test_missing_alt_text_is_an_error(self):
        with pytest.raises(NotebookError, match="alt text"):
            render.render_html(_notebook(None))

    def test_stderr_is_left_out(self):
        html = render.render_html(_notebook("chart", stderr="FutureWarning: something noisy"))
        assert "FutureWarning" not in html

    def test_remote_resources_are_refused(self):
        with pytest.raises(NotebookError, match="outside the page"):
            render.render_html(_notebook("chart", html='<script src="https://example.com/x.js"></script>'))


class TestCombineNotebooks:
    def test_cells_in_order_with_title(self, tmp_path):
        first, second = tmp_path / "a.ipynb", tmp_path / "b.ipynb"
        nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("one")]), first)
        nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("two")]), second)
        combined = render.combine_notebooks([first, second], "Title")
        assert [c.source for c in combined.cells] == ["one", "two"]
        assert combined.metadata["title"] == "Title"


class TestRelativeToRoot:
    def test_inside_and_outside(self, tmp_path):
        from reach.config import project_root

        assert report_manifest.relative_to_root(project_root() / "data" / "processed") == "data/processed"
        assert report_manifest.relative_to_root(tmp_path) == str(tmp_path.resolve())


class TestAboutCell:
    def test_lists_commit_versions_and_escaped_inputs(self):
        manifest = {
            "reach_version": "0.1.0",
            "git": {"commit": "abcdef1234567890", "dirty": True},
            "python": "3.11.7",
            "packages": {"pandas": "3.1.1", "missing": None},
            "inputs": [{"path": "2026-10/<b>x</b>.csv", "kind": "ga4_report", "sha256": "f" * 64}],
        }
        html = render.about_cell(manifest).outputs[0]["data"]["text/html"]
        assert "abcdef123456 (with uncommitted changes)" in html
        assert "pandas 3.1.1" in html and "missing" not in html
        assert "&lt;b&gt;x&lt;/b&gt;.csv" in html
        assert "ffffffffffffffff…" in html


MANIFEST = {
    "reach_version": "0.1.0",
    "git": {"commit": "abcdef1234567890", "dirty": False},
    "python": "3.11.7",
    "packages": {"pandas": "3.1.1"},
    "inputs": [{"path": "2026-10/pages.csv", "kind": "ga4_report", "sha256": "a" * 64}],
}


def _page_notebook(path, heading: str, page: str | None):
    book = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell(f"# {heading}"), nbformat.v4.new_markdown_cell("## Section")],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )
    if page is not None:
        book.metadata["reach"] = {"page": page}
    nbformat.write(book, path)
    return path


class TestWritePages:
    def test_each_notebook_renders_to_its_page_with_the_about_facts_in_the_appendix(self, tmp_path):
        report = _page_notebook(tmp_path / "report.ipynb", "Steering paper", None)  # no page: report.html
        appendix = _page_notebook(tmp_path / "appendix.ipynb", "Technical appendix", "appendix.html")
        out = tmp_path / "out"
        out.mkdir()
        written = render.write_pages(out, [appendix, report], MANIFEST, "Reach: October 2026")
        assert [p.name for p in written] == ["report.html", "appendix.html"]
        paper, detail = (out / "report.html").read_text(), (out / "appendix.html").read_text()
        assert "Steering paper" in paper and "Technical appendix" not in paper
        assert "Technical appendix" in detail and "Steering paper" not in detail
        assert "<title>Reach: October 2026</title>" in paper
        assert "<title>Reach: October 2026 (technical appendix)</title>" in detail
        assert (
            "2026-10/pages.csv" in detail and "2026-10/pages.csv" not in paper
        )  # input files: appendix only

    def test_without_an_appendix_the_about_facts_stay_on_the_report(self, tmp_path):
        only = _page_notebook(tmp_path / "only.ipynb", "Everything", None)
        (page,) = render.write_pages(tmp_path, [only], MANIFEST, "Reach")
        assert page.name == "report.html" and "2026-10/pages.csv" in page.read_text()

    @pytest.mark.parametrize("page", ["../report.html", "sub/x.html", "notes.txt", ".hidden.html"])
    def test_a_page_outside_the_report_folder_is_refused(self, page):
        book = nbformat.v4.new_notebook(metadata={"reach": {"page": page}})
        with pytest.raises(NotebookError, match="give a file name"):
            render.page_of(book)
