"""Tests for the read stage: bad input, the clean view, boilerplate, emphasis, HTML, folders."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from reelgraph.read import MAX_BYTES, ReadError, iter_paths, read_bytes, read_path, read_text

FIXTURES = Path(__file__).parent / "fixtures" / "read"
DEV = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "dev"


def _error(path) -> str:
    with pytest.raises(ReadError) as info:
        read_path(path)
    message = str(info.value)
    assert "\n" not in message
    return message


def _kept(doc) -> list[str]:
    return [doc.text[s:e] for s, e in doc.paragraphs]


# ---------------------------------------------------------------- bad input

def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert _error(path) == f"empty file: {path}"


def test_whitespace_only_file(tmp_path):
    path = tmp_path / "blank.md"
    path.write_text(" \n\t\n\u00a0\n", encoding="utf-8")
    message = _error(path)
    assert message.startswith("empty file") and str(path) in message


def test_binary_file(tmp_path):
    path = tmp_path / "poster.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    assert _error(path) == f"not a text file (binary): {path}"


def test_control_characters_without_nul_are_binary():
    with pytest.raises(ReadError, match="binary"):
        read_bytes(bytes([1, 2, 3, 4, 5, 6, 7, 8, 65]) * 100, "x", "x.bin")


def test_undecodable_encoding(tmp_path):
    path = tmp_path / "amelie.txt"
    path.write_bytes("Amélie is a 2001 film by Jean-Pierre Jeunet.".encode("latin-1"))
    assert _error(path) == f"cannot decode {path} as UTF-8 (byte 0xe9 at 2)"


def test_utf16_is_reported_as_an_encoding_problem(tmp_path):
    path = tmp_path / "wide.txt"
    path.write_bytes("Heat is a 1995 film.".encode("utf-16"))
    assert "cannot decode" in _error(path)


def test_folder_with_no_articles(tmp_path):
    (tmp_path / "a.gold.json").write_text("{}", encoding="utf-8")
    (tmp_path / "scores.tsv").write_text("a\tb\n", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("Heat is a 1995 film.", encoding="utf-8")
    assert _error(tmp_path) == f"no articles found in folder: {tmp_path}"


def test_file_over_the_size_limit(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(20 * 1024 * 1024)
    assert _error(path) == f"file too large (20.0 MB > 5 MB limit): {path}"


def test_bytes_over_the_size_limit():
    with pytest.raises(ReadError, match=r"file too large \(6\.0 MB > 5 MB limit\): stdin"):
        read_bytes(b"a" * (MAX_BYTES + 1024 * 1024))


def test_html_without_article_body():
    assert _error(FIXTURES / "no_body.html") == f"no article body found in HTML: {FIXTURES / 'no_body.html'}"


def test_missing_path(tmp_path):
    path = tmp_path / "nope.txt"
    assert _error(path) == f"no such file or directory: {path}"
    with pytest.raises(ReadError, match="no such file or directory"):
        iter_paths(path)


def test_only_boilerplate_is_an_error():
    with pytest.raises(ReadError, match="no article text left"):
        read_text("RELATED: Ten more heist films\n\nShare this article\n")


def test_unknown_format():
    with pytest.raises(ReadError, match="unknown format"):
        read_text("Heat is a 1995 film.", fmt="pdf")


# ---------------------------------------------------------------- the clean view

def test_clean_view_invariants_on_dev_articles():
    if not DEV.is_dir():
        pytest.skip(f"dev corpus not found at {DEV}")
    docs = read_path(DEV)
    assert len(docs) == len(list(DEV.glob("*.txt")))
    for doc in docs:
        raw = (DEV / f"{doc.id}.txt").read_bytes()
        assert doc.text == raw.decode("utf-8-sig")
        assert len(doc.clean) == len(doc.text)
        assert doc.sha256 == hashlib.sha256(raw).hexdigest()
        assert [i for i, c in enumerate(doc.text) if c == "\n"] == [i for i, c in enumerate(doc.clean) if c == "\n"]
        assert "\u2019" not in doc.clean and "\u2018" not in doc.clean
        assert doc.paragraphs and all(0 <= s < e <= len(doc.text) for s, e in doc.paragraphs)
        assert all(doc.clean[s:e].strip() for s, e in doc.paragraphs)
        assert all(0 <= s < e <= len(doc.text) for s, e in doc.emphasis)
        for line in doc.clean.splitlines():
            assert not line.strip().startswith(("RELATED:", "Discussion about this post", "{{<"))


def test_curly_apostrophes_straightened_in_clean_only():
    doc = read_text("Pacino’s ‘Vincent Hanna’ is a detective in Michael Mann’s Heat.")
    assert doc.text.count("\u2019") == 3 and doc.text.count("\u2018") == 1
    assert doc.clean == "Pacino's 'Vincent Hanna' is a detective in Michael Mann's Heat."


def test_carriage_returns_kept_in_text_and_blanked_in_clean():
    text = "Heat opened in 1995.\r\n\r\nIt starred Al Pacino.\r\n"
    doc = read_text(text)
    assert doc.text == text and "\r" not in doc.clean and len(doc.clean) == len(text)
    assert _kept(doc) == ["Heat opened in 1995.", "It starred Al Pacino."]


def test_bom_is_dropped_and_hash_is_of_raw_bytes():
    raw = "\ufeffHeat is a 1995 crime film.".encode("utf-8")
    doc = read_bytes(raw, "heat", "heat.txt")
    assert doc.text == "Heat is a 1995 crime film."
    assert doc.sha256 == hashlib.sha256(raw).hexdigest()
    assert (doc.id, doc.source) == ("heat", "heat.txt")


def test_lines_of_one_block_are_separate_paragraphs_unless_hard_wrapped():
    doc = read_text("Heat opened in 1995.\nIt starred Al Pacino.\n\n"
                    "This line is long enough to look like a wrapped line of prose and\ncarries on here.")
    assert _kept(doc) == ["Heat opened in 1995.", "It starred Al Pacino.",
                          "This line is long enough to look like a wrapped line of prose and\ncarries on here."]


# ---------------------------------------------------------------- boilerplate

def test_boilerplate_removed_but_caption_with_a_new_fact_kept():
    doc = read_path(FIXTURES / "boilerplate.md")[0]
    kept = _kept(doc)
    assert doc.title == "A night at the heist movies"
    assert any(p.startswith("Street scene: Val Kilmer") for p in kept)  # adds a fact: kept
    assert not any(p.startswith("Money shot:") for p in kept)  # repeats the body: dropped
    for gone in ("By Sam Porter", "Published:", "Photo:", "TODO:", "Share this", "RELATED:", "Discussion about",
                 "Great film"):
        assert not any(p.startswith(gone) for p in kept), gone
        assert gone not in doc.clean
    rehearsal = [p for p in kept if p.startswith("Mann later said")]
    assert len(rehearsal) == 1  # the second, identical paragraph is dropped
    first = doc.text.index("Mann later said")
    assert doc.clean[first:first + 15] == "Mann later said"
    assert "Michael Mann wrote and directed Heat" in doc.clean
    assert "$187 million around the world." in doc.clean


def test_caption_glue_and_quote_lead_ins_do_not_count_as_new_facts():
    body = "The director cast Ashley Judd as the wife of Val Kilmer's character after a long search."
    caption = "Big find: The director cast Ashley Judd as the wife of Val Kilmer's character (pictured in 1995)"
    doc = read_text(f"{body}\n\n{caption}\n\nThe film was released by Warner Bros. in December 1995.")
    assert _kept(doc) == [body, "The film was released by Warner Bros. in December 1995."]


def test_short_labelled_lines_are_data_not_captions():
    text = ("Best Actor: Al Pacino (Heat)\n\nThe critics' circle gave Al Pacino its prize for Heat, "
            "a 1995 film about a detective and a thief.")
    assert len(read_text(text).paragraphs) == 2


def test_link_only_list_and_its_heading_are_dropped():
    text = ("Heat opened in 1995 and made a profit for Warner Bros. that year.\n\nMore Heist News\n\n"
            "*   [Ten films like Heat](https://example.org/a)\n*   [The best bank robberies](https://example.org/b)\n\n"
            "A sequel novel followed in 2022.")
    doc = read_text(text)
    assert _kept(doc) == ["Heat opened in 1995 and made a profit for Warner Bros. that year.",
                          "A sequel novel followed in 2022."]


def test_inline_image_credit_is_blanked():
    doc = read_text("Al Pacino plays the detective (Image credit: Studio archive) in Heat.")
    assert "credit" not in doc.clean and "Al Pacino plays the detective" in doc.clean


# ---------------------------------------------------------------- emphasis

def test_markdown_italics_become_emphasis_spans():
    doc = read_path(FIXTURES / "emphasis.md")[0]
    found = [doc.text[s:e] for s, e in doc.emphasis]
    assert found == ["The Insider", "Heat", "Thief", "Collateral", "Miami Vice", "Manhunter", "Heat"]
    assert doc.title == "Notes on The Insider"
    for s, e in doc.emphasis:
        assert doc.clean[s:e] == doc.text[s:e]  # the title words themselves are kept
        assert doc.clean[s - 1] == " " and doc.clean[e] in " .,"  # the markers around them are blanked
    assert "snake_case_name" in doc.clean
    assert "https://" not in doc.clean and "[" not in doc.clean and "#" not in doc.clean
    assert "Pacino's detective in  Heat  is called Vincent Hanna." in doc.clean
    assert doc.clean.splitlines()[-1].startswith("  Pacino")  # the block-quote marker is blanked


def test_html_tags_in_markdown_are_blanked_and_italics_kept():
    doc = read_text("Michael Mann made <i>Thief</i> in 1981 <br/> and <b>Heat</b> in 1995.", fmt="markdown")
    assert [doc.text[s:e] for s, e in doc.emphasis] == ["Thief", "Heat"]
    assert "<" not in doc.clean and ">" not in doc.clean


# ---------------------------------------------------------------- HTML

def test_html_reading_with_italics_as_emphasis():
    doc = read_path(FIXTURES / "article.html")[0]
    assert doc.id == "article"
    assert doc.title == "Heist films revisited"
    assert doc.url == "https://example.org/heist-films"
    assert [doc.text[s:e] for s, e in doc.emphasis] == ["Heat", "The Town", "The Dark Knight"]
    assert "<" not in doc.text and "Home" not in doc.text and "Copyright" not in doc.text
    assert doc.text.startswith("Heist films revisited\n\nMichael Mann directed Heat in 1995")
    assert len(doc.paragraphs) == 4 and doc.clean == doc.text
    raw = (FIXTURES / "article.html").read_bytes()
    assert doc.sha256 == hashlib.sha256(raw).hexdigest()


def test_read_text_detects_html():
    html = (FIXTURES / "article.html").read_text(encoding="utf-8")
    assert read_text(html).text.startswith("Heist films revisited")
    assert read_text("Heat (1995) is a crime film.").text == "Heat (1995) is a crime film."


# ---------------------------------------------------------------- folders

def test_folder_order_skips_gold_json_tsv_and_hidden(tmp_path):
    (tmp_path / "b-article.txt").write_text("Thief is a 1981 film by Michael Mann.", encoding="utf-8")
    (tmp_path / "a-article.md").write_text("Heat is a 1995 film by Michael Mann.", encoding="utf-8")
    (tmp_path / "a-article.gold.json").write_text('{"doc": "a-article"}', encoding="utf-8")
    (tmp_path / "notes.json").write_text("{}", encoding="utf-8")
    (tmp_path / "scores.tsv").write_text("x\t1\n", encoding="utf-8")
    (tmp_path / ".draft.txt").write_text("Not to be read.", encoding="utf-8")
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "old.txt").write_text("Not to be read either.", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c-article.html").write_text(
        (FIXTURES / "article.html").read_text(encoding="utf-8"), encoding="utf-8")
    paths = iter_paths(tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in paths] == ["a-article.md", "b-article.txt",
                                                                   "sub/c-article.html"]
    docs = read_path(tmp_path)
    assert [d.id for d in docs] == ["a-article", "b-article", "c-article"]
    assert [d.source for d in docs] == [str(p) for p in paths]
    assert docs[2].title == "Heist films revisited"


def test_single_file_source_is_the_path_as_given(tmp_path):
    path = tmp_path / "heat.notes"
    path.write_text("Heat is a 1995 film by Michael Mann.", encoding="utf-8")
    docs = read_path(str(path))
    assert [(d.id, d.source, d.text) for d in docs] == [("heat", str(path), "Heat is a 1995 film by Michael Mann.")]
