"""The web explorer in a real browser (Chromium through Playwright), against the real server.

Search a film of examples/, open it, click a fact, and see its evidence sentence highlighted;
then load an article full of script injections and check that nothing runs.
"""
from __future__ import annotations

import hashlib
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from reelgraph.store import connect
from reelgraph.types import Document, Entity, Extraction, Fact, Quote

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
EVIL_NAME = "<b onclick=alert(1)>X</b>"
EVIL_ID = "person:evil-x"
XSS_TEXT = ("Notes on Heat. <script>alert(1)</script> came first, then <img src=x onerror=alert(1)> and "
            "\" onmouseover=\"alert(1) tried to break an attribute. " + EVIL_NAME + " produced Heat, supposedly. "
            "\"<script>alert(2)</script> is all it took,\" the note says.")


def _examples() -> list[Extraction]:
    from reelgraph.pipeline import extract_path

    return extract_path(ROOT / "examples")


def _xss_article() -> Extraction:
    doc = Document("xss-note", XSS_TEXT, XSS_TEXT, source="test", title="<script>alert('title')</script>",
                   sha256=hashlib.sha256(XSS_TEXT.encode()).hexdigest())

    def span(phrase: str):
        at = XSS_TEXT.index(phrase)
        return doc.span(at, at + len(phrase))

    heat = Entity("film:Heat_(1995_film)", "film", "Heat", 1995, [span("Heat.")])
    evil = Entity(EVIL_ID, "person", EVIL_NAME, None, [span(EVIL_NAME)])
    produced = Fact("Heat (1995)", "producer", EVIL_NAME, span(EVIL_NAME + " produced Heat, supposedly."),
                    s_id=heat.id, o_id=EVIL_ID)
    said = Quote("<script>alert(2)</script> is all it took,", span("<script>alert(2)</script> is all it took,"),
                 speaker=EVIL_NAME, speaker_id=EVIL_ID)
    return Extraction(doc, [heat, evil], [produced], [said])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    from reelgraph.serve import create_app

    db = str(tmp_path_factory.mktemp("browser") / "examples.db")
    with connect(db) as store:
        store.ingest_many([*_examples(), _xss_article()])
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the reelgraph server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"browser test needs Chromium at {CHROMIUM}, which is missing")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as err:
        pytest.skip(f"browser test needs Playwright for Python: {err}")
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        except Exception as err:  # noqa: BLE001 - any launch failure means no browser here
            pytest.skip(f"Chromium at {CHROMIUM} did not launch: {str(err).splitlines()[0]}")
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.problems = problems
    yield page
    context.close()


def _words(text: str) -> str:
    return " ".join(text.split())


def test_search_open_film_and_see_the_evidence(server: str, page) -> None:
    page.goto(server + "/")
    page.fill("form.search.big input[name=q]", "Heat")
    page.press("form.search.big input[name=q]", "Enter")
    page.wait_for_url("**/search?q=Heat*")
    page.locator("a.result-link", has_text="Heat").first.click()
    page.wait_for_url("**/entity/**")
    assert page.locator("h1").first.inner_text().startswith("Heat")
    fact = page.locator(".infobox li.fact").first
    fact.locator("summary .sources").click()  # clicking the fact opens its inline evidence panel
    link = fact.locator("a.evidence-link").first
    assert link.is_visible()
    sentence = _words(link.locator(".evidence-text").inner_text())
    assert sentence
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "browser-entity.png"), full_page=True)
    link.click()
    page.wait_for_url("**/document/**hl=*")
    mark = page.locator("mark#ev")
    assert mark.count() == 1 and mark.is_visible()
    assert _words(mark.inner_text()) == sentence
    assert mark.evaluate("m => getComputedStyle(m).backgroundColor") != "rgba(0, 0, 0, 0)"
    page.screenshot(path=str(ARTIFACTS / "browser-evidence.png"))
    assert not [p for p in page.problems if "Content Security Policy" in p or "Refused" in p], page.problems


def test_legend_toggles_a_highlight_layer(server: str, page) -> None:
    page.goto(server + "/document/heat-at-thirty")
    person = page.locator("#article .m-person").first
    before = person.evaluate("e => getComputedStyle(e).backgroundColor")
    page.click("#legend button[data-layer=m-person]")
    assert person.evaluate("e => getComputedStyle(e).backgroundColor") != before


def test_injected_markup_never_runs(server: str, page) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for path in ("/document/xss-note", "/document/xss-note?hl=15-50", "/entity/" + EVIL_ID,
                 "/entity/film:Heat_(1995_film)", "/search?q=onclick", "/graph/" + EVIL_ID,
                 "/search?q=%3Cscript%3Ealert(3)%3C%2Fscript%3E", "/"):
        page.goto(server + path)
        page.wait_for_load_state("load")
        page.mouse.move(5, 5)
        for element in page.locator("#article span, #article a, .value a").all()[:40]:
            element.hover()  # would trigger a smuggled onmouseover
        assert page.locator("img[src=x]").count() == 0, path
        assert page.locator("b[onclick]").count() == 0, path
    page.goto(server + "/document/xss-note")
    assert "<script>alert(1)</script>" in page.locator("#article").inner_text()  # shown as text
    assert dialogs == []
