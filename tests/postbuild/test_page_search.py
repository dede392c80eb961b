"""A site without a catalogue is searched from its built pages: the article only, title first."""

from __future__ import annotations

from pathlib import Path

from patternbook.postbuild.page_search import page_record, page_records

PAGE = """<html><head><title>t</title></head><body>
<nav>Home Getting started Bundle reference</nav>
<article class="md-content__inner"><h1 id="x">Cost model<a class="headerlink" href="#x">¶</a></h1>
<p>Every pattern states a cost range &amp; its <code>&lt;assumptions&gt;</code>.</p>
<h2>The rules</h2><p>PB601 compares <b>stated</b> and computed.</p><script>var hidden = 1;</script></article>
</body></html>"""


def test_a_record_holds_the_article_title_summary_and_headings_escaped() -> None:
    record = page_record("/cost-model/", PAGE)
    assert record is not None and record.url == "/cost-model/"
    assert 'data-pagefind-meta="title">Cost model</h1>' in record.html  # no permalink mark
    assert "Every pattern states a cost range &amp; its &lt;assumptions&gt;." in record.html
    assert ">The rules</p>" in record.html and "PB601 compares stated and computed." in record.html
    assert "Getting started" not in record.html and "hidden" not in record.html  # navigation, scripts


def test_pages_without_an_article_and_the_index_folder_are_left_out(tmp_path: Path) -> None:
    (tmp_path / "cost-model").mkdir()
    (tmp_path / "cost-model" / "index.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "index.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "404.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "redirect.html").write_text("<html><body><p>moved</p></body></html>", encoding="utf-8")
    assert sorted(record.url for record in page_records(tmp_path)) == ["/", "/cost-model/"]
