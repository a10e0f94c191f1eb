"""Robustness of the read and extract path: bounded pieces, sentences and words; exact spans;
bounded stdin; formats by suffix. Sizes here are small: speed is measured in benchmarks/adversarial.py."""
from __future__ import annotations

import io
import os
import signal
import time

import pytest

from reelgraph import pieces, pipeline
from reelgraph.errors import BudgetExceeded, ReadError
from reelgraph.extract import patterns as P
from reelgraph.pipeline import extract_document, extract_documents, extract_each, extract_text
from reelgraph.read import MAX_BYTES, read_file, read_stdin, read_text

ARTICLE = ("Director Maria Lenz said the film Blue Harbour (1998) was shot in twelve weeks. "
           "It starred Tom Hale as Captain Rees.\n\n")


def test_long_document_is_extracted_in_pieces_with_whole_text_offsets(monkeypatch):
    people = ["Maria Lenz", "Tom Hale", "Nora Vance", "Ada Stone", "Carl Dahl", "Ines Moreau"]
    text = "".join(f"Director {people[i]} said the film Blue Harbour {i} ({1990 + i}) was shot in {i + 2} weeks. "
                   f"It starred {people[5 - i]} as Captain Rees number {i}.\n\n" for i in range(6))
    monkeypatch.setattr(pieces, "PIECE_CHARS", 300)
    doc = read_text(text, fmt="text")
    assert len(pieces.split_document(doc)) > 1
    ex = next(extract_documents([doc]))
    assert ex.doc is doc
    films = {e.name for e in ex.entities if e.type == "film"}
    assert {"Blue Harbour 0", "Blue Harbour 5"} <= films
    for e in ex.entities:
        for m in e.mentions:
            assert text[m.start:m.end] == m.text
    late = [f for f in ex.facts if f.s.startswith("Blue Harbour 5")]
    assert late and all(f.evidence.start > text.index("Blue Harbour 5") - 40 for f in late)


def test_piece_bounds_prefer_blank_lines_and_cover_the_text():
    clean = ("word " * 30 + "\n\n") * 20
    bounds = pieces.piece_bounds(clean, 400)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(clean)
    assert all(a[1] == b[0] for a, b in zip(bounds, bounds[1:]))
    assert all(e - s <= 400 for s, e in bounds)
    assert all(clean[e - 2:e] == "\n\n" for _, e in bounds[:-1])


def test_spans_are_exact_text_with_normalised_form_apart():
    text = "The film won the Palme d\u2019Or at Cannes in 2019, and Bong Joon-ho said it was a surprise.\n"
    ex = extract_text(text)
    spans = [m for e in ex.entities for m in e.mentions] + [f.evidence for f in ex.facts]
    assert spans
    for span in spans:
        assert span.text == text[span.start:span.end]
        assert span.norm is None or span.norm != span.text
    award = [m for e in ex.entities if e.type == "award" for m in e.mentions]
    if award:  # recognised from the straightened view: its normalised form is kept beside it
        assert award[0].text == "Palme d\u2019Or" and award[0].to_dict().get("norm", "Palme d'Or") == "Palme d'Or"


def test_a_run_without_full_stops_is_cut_into_bounded_sentences():
    from reelgraph.analyse import MAX_SENTENCE_TOKENS, load_nlp

    parsed = load_nlp()("It began when " + "the film and its director kept talking " * 150)
    assert max(len(s) for s in parsed.sents) <= MAX_SENTENCE_TOKENS
    real = load_nlp()("Ada Vance directed Night Train. It opened in May.")
    assert [s.text for s in real.sents] == ["Ada Vance directed Night Train.", "It opened in May."]


def test_over_long_words_are_broken_in_the_analysis_view_only():
    word = "X" * 1000
    doc = read_text(f"The film was called {word} and it ran long.", fmt="text")
    assert word in doc.text
    assert max(len(w) for w in doc.clean.split()) <= 100
    extract_document(doc)  # runs through without error


@pytest.mark.parametrize("rx", [P.TITLE_RX, P.FILM_CUES[1][0], P.OUTLET_CUES, P.CHARACTER_AFTER_PERSON[0]])
def test_title_patterns_match_bounded_windows(rx):
    run = " ".join(["Ab"] * 400)
    found = [m.group(0) for m in rx.finditer(run)]
    assert all(len(m.split()) <= 14 for m in found)


def test_time_budget_turns_a_slow_document_into_an_error():
    if not hasattr(signal, "setitimer"):
        pytest.skip("no interval timers on this platform")
    with pytest.raises(BudgetExceeded, match="budget"):
        with pieces.time_budget(0.05, "slow.txt"):
            time.sleep(1)
    with pieces.time_budget(5, "fast.txt"):  # a finished block leaves no timer behind
        pass
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def _three_docs():
    return [read_text(ARTICLE, doc_id=name, source=f"{name}.txt", fmt="text") for name in ("a", "slow", "c")]


def test_a_batch_is_parsed_together_and_only_the_slow_document_fails(monkeypatch):
    if not hasattr(signal, "setitimer"):
        pytest.skip("no interval timers on this platform")
    real = pipeline.extract

    def extract(piece, parsed, catalog):
        if piece.id == "slow":
            time.sleep(2)
        return real(piece, parsed, catalog)

    monkeypatch.setattr(pipeline, "extract", extract)
    a, slow, c = extract_each(_three_docs(), budget_s=1.0)
    assert isinstance(slow, BudgetExceeded) and "slow.txt" in str(slow)
    assert a.doc.id == "a" and c.doc.id == "c"
    assert [f.key() for f in a.facts] == [f.key() for f in extract_document(read_text(ARTICLE, fmt="text")).facts]


def test_a_batch_whose_joint_parse_fails_is_taken_again_one_document_at_a_time(monkeypatch):
    real = pipeline.analyse_tagged
    calls = []

    def analyse_tagged(items, batch_size=16):
        items = list(items)
        calls.append(len(items))
        if len(items) > 1:
            raise MemoryError("a batch too large")
        return real(items, batch_size)

    monkeypatch.setattr(pipeline, "analyse_tagged", analyse_tagged)
    out = extract_each(_three_docs())
    assert calls == [3, 1, 1, 1]
    assert [x.doc.id for x in out] == ["a", "slow", "c"]


def test_stdin_reads_at_most_limit_plus_one_byte():
    class Endless(io.RawIOBase):
        served = 0

        def readable(self):
            return True

        def readinto(self, buf):
            n = len(buf)
            buf[:n] = b"a" * n
            self.served += n
            return n

    raw = Endless()
    with pytest.raises(ReadError, match="too large.*stdin"):
        read_stdin(io.BufferedReader(raw, buffer_size=65536))
    assert raw.served <= MAX_BYTES + 1 + 65536


def test_stdin_within_the_limit_is_read():
    doc = read_stdin(io.BytesIO(ARTICLE.encode()))
    assert doc.text == ARTICLE and doc.source == "-"


def test_txt_is_text_even_with_a_body_tag(tmp_path):
    path = tmp_path / "note.txt"
    body = "<p>Ada Vance directed Night Train, a film about a long journey through the mountains.</p>" * 3
    path.write_text(f"<html><body>{body}</body></html>\n")
    assert read_file(path).text.startswith("<html><body><p>Ada Vance")
    assert read_file(path, fmt="html").text.startswith("Ada Vance directed Night Train")


def test_lone_surrogate_is_a_read_error():
    with pytest.raises(ReadError, match="surrogate"):
        extract_text("Ada Vance directed \ud800 Night Train.")


def test_fifo_is_not_a_regular_file(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    from reelgraph.read import read_path

    with pytest.raises(ReadError, match="not a regular file"):
        read_path(fifo)
