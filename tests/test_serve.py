"""The serve stage: the JSON API, the HTML explorer and its JSON twins, over hand-built extractions."""
from __future__ import annotations

import html
import re
import warnings
from pathlib import Path

import pytest

with warnings.catch_warnings():  # Starlette asks for httpx2, which this project does not ship
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from reelgraph.serve import CSP, create_app
from reelgraph.store import connect
from reelgraph.types import Extraction
from reelgraph.web import Mark, circle_layout, highlight

from conftest import Article as Builder

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

HEAT, HEAT2, TOWN = "film:Heat_(1995_film)", "film:heat-2", "film:the-town/2010"
MANN, PACINO, STUDIO = "person:michael-mann", "person:al-pacino", "org:warner-bros"
EVIL = "person:<b onclick=alert(1)>x</b>"
EVIL_NAME = "<b onclick=alert(1)>X</b>"
NAMES = {HEAT: ("film", "Heat", 1995), HEAT2: ("film", "Heat 2", None), TOWN: ("film", "The Town", 2010),
         MANN: ("person", "Michael Mann", None), PACINO: ("person", "Al Pacino", None),
         STUDIO: ("organization", "Warner Bros.", None), EVIL: ("person", EVIL_NAME, None)}

XSS_TEXT = ("A strange note about Heat. <script>alert(1)</script> was pasted here, and <img src=x onerror=alert(1)> "
            "too. Someone typed \" onmouseover=\"alert(1) as well. " + EVIL_NAME + " directed Heat, it says. "
            "\"<script>alert(2)</script> is what the director wrote,\" the note claims.")


def Article(key: str, text: str, title: str | None = None) -> Builder:
    return Builder(key, text, NAMES, title=title)


def corpus() -> list[Extraction]:
    review = (Article("heat-review", "Heat is a crime film directed by Michael Mann. Al Pacino plays Vincent Hanna "
                      "in it. The production cost $60 million. \"I wanted the city itself to be a character,\" "
                      "Mann told Variety.", title="Heat, reviewed")
              .mention(HEAT, "Heat is").mention(MANN, "Michael Mann").mention(PACINO, "Al Pacino")
              .fact(HEAT, "director", "Michael Mann", "directed by", o_id=MANN)
              .fact(HEAT, "cast_member", "Al Pacino", "Vincent Hanna", o_id=PACINO, character="Vincent Hanna")
              .fact(HEAT, "budget", 60_000_000, "$60 million", currency="USD")
              .quote("I wanted the city itself to be a character,", "Michael Mann", MANN, outlet="Variety"))
    retro = (Article("heat-retro", "Warner Bros. released Heat in 1995 and Michael Mann directed it. Its budget "
                     "was $75 million. The Town was influenced by Heat. Heat 2 is a sequel to Heat.",
                     title="Heat at thirty")
             .mention(STUDIO, "Warner Bros.").mention(HEAT, "Heat in").mention(MANN, "Michael Mann")
             .mention(TOWN, "The Town").mention(HEAT2, "Heat 2")
             .fact(HEAT, "studio", "Warner Bros.", "Warner Bros.", o_id=STUDIO)
             .fact(HEAT, "release_year", 1995, "in 1995")
             .fact(HEAT, "director", "Michael Mann", "directed it", o_id=MANN)
             .fact(HEAT, "budget", 75_000_000, "$75 million", currency="USD")
             .fact(TOWN, "influenced_by", "Heat (1995)", "influenced by", o_id=HEAT)
             .fact(HEAT2, "sequel_of", "Heat (1995)", "sequel to", o_id=HEAT))
    evil = (Article("xss-note", XSS_TEXT, title="<script>alert('title')</script>")
            .mention(HEAT, "Heat.").mention(EVIL, EVIL_NAME)
            .fact(HEAT, "producer", EVIL_NAME, EVIL_NAME + " directed", o_id=EVIL)
            .quote("<script>alert(2)</script> is what the director wrote,", EVIL_NAME, EVIL, outlet="<i>Zine</i>"))
    return [review.build(), retro.build(), evil.build()]


@pytest.fixture
def db_path(tmp_path: Path) -> str:
    path = str(tmp_path / "serve.db")
    with connect(path) as store:
        store.ingest_many(corpus())
    return path


@pytest.fixture
def client(db_path: str):
    with TestClient(create_app(db_path)) as test_client:
        yield test_client


def get_json(client: TestClient, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, (url, response.text[:300])
    assert response.headers["content-type"].startswith("application/json"), url
    return response.json()


def get_html(client: TestClient, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.text[:300])
    assert response.headers["content-type"].startswith("text/html"), url
    return response.text


# -- JSON API ---------------------------------------------------------------------------------
def test_entity_search_is_paginated(client: TestClient) -> None:
    first = get_json(client, "/api/entities?q=heat")
    ids = [e["id"] for e in first["items"]]
    assert ids[0] == HEAT and HEAT2 in ids
    assert first["limit"] == 20 and first["offset"] == 0 and first["next"] is None
    one = get_json(client, "/api/entities?q=heat&limit=1")
    assert [e["id"] for e in one["items"]] == [HEAT] and one["next"] == 1
    two = get_json(client, "/api/entities?q=heat&limit=1&offset=1")
    assert [e["id"] for e in two["items"]] == [HEAT2] and two["next"] is None
    films = get_json(client, "/api/entities?q=a&type=person")
    assert films["items"] and {e["type"] for e in films["items"]} == {"person"}


def test_empty_search_lists_entities_with_most_facts(client: TestClient) -> None:
    listing = get_json(client, "/api/entities?limit=3")
    assert listing["items"][0]["id"] == HEAT and len(listing["items"]) == 3 and listing["next"] == 3


def test_entity_card_has_facts_evidence_and_quotes(client: TestClient) -> None:
    card = get_json(client, "/api/entities/" + MANN)
    assert card["name"] == "Michael Mann"
    director = [f for f in card["facts"] if f["p"] == "director"]
    assert len(director) == 1 and director[0]["corroboration"] == 2 and director[0]["role"] == "object"
    assert {e["document"]["doc_key"] for e in director[0]["evidence"]} == {"heat-review", "heat-retro"}
    assert [q["text"] for q in card["quotes_by"]] == ["I wanted the city itself to be a character,"]


def test_entity_ids_with_slashes_and_parentheses(client: TestClient) -> None:
    assert get_json(client, "/api/entities/" + HEAT)["id"] == HEAT
    assert get_json(client, "/api/entities/" + TOWN)["name"] == "The Town"
    assert get_json(client, "/api/entities/film%3AHeat_%281995_film%29")["id"] == HEAT
    assert "The Town" in get_html(client, "/entity/" + TOWN)
    assert get_json(client, "/entity/" + TOWN + ".json")["id"] == TOWN


def test_missing_things_are_json_404(client: TestClient) -> None:
    for url in ("/api/entities/film:nothing", "/api/documents/9999", "/api/graph/film:nothing", "/api/nowhere"):
        body = get_json(client, url, 404)
        assert set(body) == {"error"} and body["error"], url
    assert "no entity" in get_json(client, "/api/entities/film:nothing", 404)["error"]
    assert "404" in get_html(client, "/entity/film:nothing", 404)


def test_quotes_filter_by_speaker_film_and_outlet(client: TestClient) -> None:
    everything = get_json(client, "/api/quotes")
    assert len(everything["items"]) == 2
    by_mann = get_json(client, "/api/quotes?speaker=Michael Mann")["items"]
    assert [q["outlet"] for q in by_mann] == ["Variety"]
    assert len(get_json(client, "/api/quotes?film=" + HEAT)["items"]) == 2
    assert [q["speaker_id"] for q in get_json(client, "/api/quotes?outlet=variety")["items"]] == [MANN]
    assert get_json(client, "/api/quotes?limit=1")["next"] == 1


def test_documents_list_and_detail(client: TestClient) -> None:
    listing = get_json(client, "/api/documents?limit=2")
    assert [d["doc_key"] for d in listing["items"]] == ["heat-review", "heat-retro"] and listing["next"] == 2
    doc = get_json(client, f"/api/documents/{listing['items'][0]['id']}")
    assert doc["text"].startswith("Heat is a crime film")
    assert {f["p"] for f in doc["facts"]} == {"director", "cast_member", "budget"}
    assert len(doc["quotes"]) == 1 and {m["entity_id"] for m in doc["mentions"]} == {HEAT, MANN, PACINO}
    assert get_json(client, "/api/documents/heat-retro")["doc_key"] == "heat-retro"


def test_contradictions_name_both_sources(client: TestClient) -> None:
    found = get_json(client, "/api/contradictions")
    budget = [c for c in found if c["predicate"] == "budget"]
    assert len(budget) == 1 and budget[0]["subject_id"] == HEAT
    sources = {e["document"]["doc_key"] for v in budget[0]["values"] for e in v["evidence"]}
    assert sources == {"heat-review", "heat-retro"}


def test_graph_neighbourhood(client: TestClient) -> None:
    near = get_json(client, "/api/graph/" + HEAT)
    ids = {n["id"] for n in near["nodes"]}
    assert {HEAT, MANN, PACINO, TOWN, HEAT2, STUDIO} <= ids
    assert {(e["source"], e["p"], e["target"]) for e in near["edges"]} >= {(TOWN, "influenced_by", HEAT),
                                                                          (HEAT2, "sequel_of", HEAT)}
    assert get_json(client, "/api/graph/" + HEAT2 + "?depth=1")["nodes"][0]["id"] == HEAT2
    assert MANN in {n["id"] for n in get_json(client, "/api/graph/" + HEAT2 + "?depth=2")["nodes"]}


@pytest.mark.parametrize("url, name", [
    ("/api/entities?limit=0", "limit"), ("/api/entities?limit=201", "limit"), ("/api/entities?offset=-1", "offset"),
    ("/api/entities?limit=ten", "limit"), ("/api/entities?type=planet", "type"), ("/api/quotes?limit=500", "limit"),
    ("/api/documents?offset=-5", "offset"), ("/api/graph/" + HEAT + "?depth=0", "depth"),
    ("/api/graph/" + HEAT + "?depth=4", "depth"), ("/search.json?limit=999", "limit"),
])
def test_validation_errors_are_json(client: TestClient, url: str, name: str) -> None:
    body = get_json(client, url, 422)
    assert list(body) == ["error"] and name in body["error"]


def test_openapi_and_docs(client: TestClient) -> None:
    schema = get_json(client, "/openapi.json")
    for path in ("/api/entities", "/api/entities/{entity_id}", "/api/quotes", "/api/documents",
                 "/api/documents/{doc_id}", "/api/contradictions", "/api/graph/{entity_id}"):
        assert path in schema["paths"], path
    limit = next(p for p in schema["paths"]["/api/entities"]["get"]["parameters"] if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 200 and limit["schema"]["minimum"] == 1
    docs = client.get("/docs")
    policy = docs.headers["content-security-policy"]
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert docs.status_code == 200 and script_src.strip() == "script-src 'self'"  # no inline script, no CDN
    assert "http" not in policy and not re.search(r"(src|href)=\"(https?:)?//", docs.text)
    assert "<script>" not in docs.text  # every script is a file
    for asset in re.findall(r'(?:src|href)="(/[^"]+)"', docs.text):  # all served here, by this package
        response = client.get(asset)
        assert response.status_code == 200 and len(response.content) > 100, asset
        assert "cdn." not in response.text and "unpkg" not in response.text, asset
    assert "SwaggerUIBundle" in client.get("/docs/assets/swagger-ui-bundle.js").text
    assert "/openapi.json" in client.get("/static/docs-init.js").text


def test_favicon_is_served_for_json_twins(client: TestClient) -> None:
    icon = client.get("/favicon.ico")  # a browser asks for it when showing /entity/....json
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg")


# -- HTML pages and their JSON twins -------------------------------------------------------
def test_json_twins_equal_the_api(client: TestClient) -> None:
    doc_id = get_json(client, "/api/documents")["items"][0]["id"]
    pairs = [(f"/entity/{HEAT}.json", f"/api/entities/{HEAT}"), (f"/entity/{HEAT}?format=json", f"/api/entities/{HEAT}"),
             ("/search.json?q=heat&limit=1", "/api/entities?q=heat&limit=1"), ("/search?q=mann&format=json",
                                                                              "/api/entities?q=mann"),
             (f"/document/{doc_id}.json", f"/api/documents/{doc_id}"), (f"/graph/{HEAT}.json?depth=2",
                                                                        f"/api/graph/{HEAT}?depth=2"),
             ("/contradictions.json", "/api/contradictions")]
    for twin, api in pairs:
        assert get_json(client, twin) == get_json(client, api), twin
    home = get_json(client, "/index.json")
    assert [d["doc_key"] for d in home["documents"]] == ["xss-note", "heat-retro", "heat-review"]
    assert home["entities"][0]["id"] == HEAT


def test_home_and_search_pages(client: TestClient) -> None:
    home = get_html(client, "/")
    assert "Heat at thirty" in home and 'href="/entity/film:Heat_(1995_film)"' in home
    results = get_html(client, "/search?q=heat&limit=1")
    assert 'href="/entity/film:Heat_(1995_film)"' in results and "Heat 2" not in results
    assert 'href="/search?q=heat&amp;limit=1&amp;offset=1"' in results  # the next page
    nothing = get_html(client, "/search?q=zzzz&type=")
    assert "No entity matches “zzzz”" in nothing and "<ol" not in nothing  # no empty list numbered "1."


def test_film_card_shows_sections_corroboration_and_contradictions(client: TestClient) -> None:
    page = get_html(client, "/entity/" + HEAT)
    for text in ("Directed by", "Studio", "Budget", "Released", "Cast", "as Vincent Hanna", "Relations",
                 "Influenced", "Followed by", "Sources disagree", "$60 million", "$75 million"):
        assert text in page, text
    director = re.search(r'<li class="fact[^"]*"[^>]*>.*?</li>\s*</ul>', page.split("Directed by")[1], re.S).group(0)
    assert "Michael Mann" in director and "2 sources" in director
    contradiction = page.split('id="contradictions"')[1]
    assert "Heat, reviewed" in contradiction and "Heat at thirty" in contradiction
    assert page.count("disputed</a>") == 2  # the two budgets
    assert 'href="/graph/film:Heat_(1995_film)"' in page


def test_person_card_shows_roles_credits_and_quotes(client: TestClient) -> None:
    pacino = get_html(client, "/entity/" + PACINO)
    assert "Roles" in pacino and "as Vincent Hanna" in pacino and 'href="/entity/film:Heat_(1995_film)"' in pacino
    mann = get_html(client, "/entity/" + MANN)
    assert "Crew credits" in mann and "Director" in mann
    assert "Quotes by Michael Mann" in mann and "I wanted the city itself to be a character," in mann


def test_fact_evidence_opens_the_highlighted_sentence(client: TestClient) -> None:
    page = get_html(client, "/entity/" + PACINO)
    href = html.unescape(re.search(r'class="evidence-link" href="([^"]+)"', page).group(1))
    assert re.fullmatch(r"/document/\d+\?hl=\d+-\d+#ev", href)
    document = get_html(client, href.split("#")[0])
    marked = re.search(r'<mark id="ev">(.*?)</mark>', document, re.S).group(1)
    assert html.unescape(re.sub(r"<[^>]+>", "", marked)) == "Al Pacino plays Vincent Hanna in it."
    assert document.count("<mark") == 1


def test_document_page_colours_extractions_by_type(client: TestClient) -> None:
    page = get_html(client, "/document/heat-retro")
    assert 'class="m-film"' in page or 'class="ev m-film"' in page
    for cls in ("m-organization", "m-person", "ev"):
        assert re.search(rf'class="[^"]*\b{cls}\b', page), cls
    assert 'data-layer="m-organization"' in page and 'data-layer="q"' in page  # the legend
    assert "<mark" not in page  # nothing asked to be highlighted
    article = re.search(r'<div class="article" id="article">(.*?)</div>', page, re.S).group(1)
    assert html.unescape(re.sub(r"<[^>]+>", "", article)) == corpus()[1].doc.text
    assert get_html(client, "/document/heat-retro?hl=5-2") and get_html(client, "/document/1?hl=x", 422)


def test_untrusted_text_is_always_escaped(client: TestClient) -> None:
    doc_id = get_json(client, "/api/documents/xss-note")["id"]
    evil_entity = "/entity/" + EVIL.replace("<", "%3C").replace(">", "%3E").replace(" ", "%20")
    assert get_json(client, evil_entity + ".json")["name"] == EVIL_NAME
    pages = [f"/document/{doc_id}", f"/document/{doc_id}?hl=27-60", "/entity/" + HEAT, evil_entity, "/search?q=onclick",
             "/search?q=%3Cscript%3E", "/", f"/graph/{HEAT}", evil_entity.replace("/entity/", "/graph/"),
             "/contradictions", "/entity/%3Cscript%3Ealert(1)%3C/script%3E"]
    for url in pages:
        response = client.get(url)
        page = response.text
        assert response.headers["content-security-policy"] == CSP, url
        assert response.headers["x-content-type-options"] == "nosniff", url
        for raw in ("<script>alert", "<img src=x", "<b onclick", 'onmouseover="', "<i>Zine", "onerror=alert(1)>"):
            assert raw not in page, (url, raw)
        assert not re.search(r"<script(?![^>]*\bsrc=\"/static/app\.js\")(?![^>]*type=\"application/json\")", page), url
    document = client.get(f"/document/{doc_id}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document and "&lt;img src=x onerror=alert(1)&gt;" in document
    graph = client.get(f"/graph/{HEAT}").text
    assert "\\u003cb onclick=alert(1)\\u003eX\\u003c/b\\u003e" in graph  # data for scripts, escaped
    assert client.get("/api/entities").headers["content-security-policy"] == CSP


def test_pages_load_nothing_from_the_network(client: TestClient) -> None:
    for url in ("/", "/entity/" + HEAT, "/static/style.css", "/static/app.js"):
        body = client.get(url).text
        assert not re.search(r"(src|href)=\"(https?:)?//", body) and "url(http" not in body, url


def test_cache_sees_new_documents(db_path: str) -> None:
    with TestClient(create_app(db_path, recheck_s=0)) as client:
        assert len(get_json(client, "/api/documents")["items"]) == 3
        with connect(db_path) as store:
            store.ingest(Article("late", "Collateral arrived later.").build())
        assert len(get_json(client, "/api/documents")["items"]) == 4


# -- pure functions ------------------------------------------------------------------------
def test_highlight_splits_at_every_boundary() -> None:
    text = "Michael Mann directed Heat in 1995."
    marks = [Mark(0, 12, "m-person", "person", "person:mann"), Mark(0, 35, "ev", "fact"),
             Mark(22, 26, "m-film", "film", "film:heat"), Mark(30, 99, "q", "out of range")]
    runs = highlight(text, marks, hl=(13, 26))
    assert [r.marked for r in runs] == [False, True, False]
    assert "".join(p.text for r in runs for p in r.pieces) == text
    assert "".join(p.text for p in runs[1].pieces) == "directed Heat"
    first = runs[0].pieces[0]
    assert (first.text, first.classes, first.entity_id) == ("Michael Mann", "ev m-person", "person:mann")
    assert [p.classes for p in runs[1].pieces] == ["ev", "ev m-film"]
    assert highlight(text, [], hl=(5, 100))[0].marked is False  # a highlight outside the text is ignored


def test_circle_layout_puts_the_root_in_the_middle() -> None:
    data = {"nodes": [{"id": "a", "name": "A", "type": "film", "depth": 0},
                      {"id": "b", "name": "B", "type": "person", "depth": 1},
                      {"id": "c", "name": "C", "type": "person", "depth": 1}],
            "edges": [{"source": "a", "target": "b", "p": "director"}, {"source": "a", "target": "zz", "p": "x"}]}
    nodes, edges = circle_layout(data, width=400, height=400)
    assert (nodes[0].x, nodes[0].y) == (200, 200)
    assert all(abs(((n.x - 200) ** 2 + (n.y - 200) ** 2) ** 0.5 - 130) < 0.2 for n in nodes[1:])
    assert [(e.source, e.target) for e in edges] == [("a", "b")]


def test_response_cache_keeps_pages_until_the_store_changes() -> None:
    import asyncio

    from reelgraph.serve import ResponseCache

    calls: list[str] = []
    stamp = [1]

    async def app(scope, receive, send) -> None:
        calls.append(scope["path"])
        await send({"type": "http.response.start", "status": 200 if scope["path"] != "/bad" else 404, "headers": []})
        await send({"type": "http.response.body", "body": b"x" * 40})

    cache = ResponseCache(app, stamp=lambda: stamp[0], max_bytes=16 * 40, recheck_s=0)  # room for 16 pages

    def get(path: str) -> bytes:
        sent: list[dict] = []

        async def send(message: dict) -> None:
            sent.append(message)

        scope = {"type": "http", "method": "GET", "path": path, "query_string": b""}
        asyncio.run(cache(scope, None, send))
        return b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")

    assert get("/a") == get("/a") == b"x" * 40 and calls == ["/a"]
    get("/bad"), get("/bad")
    assert calls == ["/a", "/bad", "/bad"]  # errors are not kept
    stamp[0] = 2
    get("/a")
    assert calls[-1] == "/a" and len(calls) == 4  # a new stamp empties the cache
    for n in range(20):
        get(f"/page-{n}")
    assert cache.size == 16 * 40 and len(cache.entries) == 16
    assert "/a?" not in cache.entries and "/page-19?" in cache.entries  # the least recently used went first


def test_routes_run_on_the_loop_for_sqlite_and_in_threads_for_a_server_database(db_url: str) -> None:
    """Same answers either way; only SQLite's route bodies are coroutines (see `Api.endpoint`)."""
    import inspect

    with connect(db_url) as store:
        store.ingest_many(corpus())
    app = create_app(db_url, cache=False)
    bodies = {route.path: route.endpoint for route in app.routes if hasattr(route, "endpoint")}
    on_loop = inspect.iscoroutinefunction(bodies["/api/entities/{entity_id:path}"])
    assert on_loop == db_url.endswith(".db")
    assert inspect.iscoroutinefunction(bodies["/entity/{entity_id:path}"]) == on_loop
    with TestClient(app) as client:
        card = get_json(client, "/api/entities/" + HEAT)
        assert {f["p"] for f in card["facts"]} >= {"director", "budget", "cast_member"}
        assert "Michael Mann" in get_html(client, "/entity/" + HEAT)


def test_a_missing_database_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no database at"):
        create_app(str(tmp_path / "absent.db"))
