"""No 500 from bad parameters, and HEAD wherever GET works (issue 14, point 6)."""
from __future__ import annotations

import pytest

from reelgraph.serve import create_app
from reelgraph.store import connect
from reelgraph.types import Document, Entity, Extraction, Fact

TEXT = "Night Train (2001) was directed by Ada Vance, who rebuilt every carriage by hand."


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from fastapi.testclient import TestClient

    db = tmp_path_factory.mktemp("bounds") / "g.db"
    doc = Document("night-train", TEXT, TEXT, source="night-train.txt")
    ents = [Entity("film:night-train", "film", "Night Train", 2001, [doc.span(0, 11)]),
            Entity("person:ada-vance", "person", "Ada Vance", None, [doc.span(35, 44)])]
    fact = Fact("Night Train (2001)", "director", "Ada Vance", doc.span(0, len(TEXT)), s_id="film:night-train",
                o_id="person:ada-vance", sources=["rule:crew-by"])
    with connect(str(db)) as store:
        store.ingest(Extraction(doc, ents, [fact], []))
    with TestClient(create_app(str(db)), raise_server_exceptions=False) as c:
        yield c


@pytest.mark.parametrize("url", [
    "/api/entities?offset=9223372036854775808", "/api/documents?offset=9223372036854775807",
    "/api/facts?offset=99999999999999999999", "/api/quotes?offset=9223372036854775808",
    "/api/documents/12345678901234567890123", "/api/entities/" + "x" * 50_000, "/api/entities/" + "x" * 600,
    "/api/graph/" + "x" * 600, "/api/entities?q=" + "a" * 300, "/api/quotes?limit=100000",
])
def test_bad_parameters_give_a_4xx_json_error(client, url):
    response = client.get(url)
    assert 400 <= response.status_code < 500, response.text[:200]
    assert response.json()["error"]


@pytest.mark.parametrize("url", ["/document/12345678901234567890123", "/entity/" + "x" * 50_000])
def test_pages_with_bad_ids_are_4xx_too(client, url):
    assert 400 <= client.get(url).status_code < 500


@pytest.mark.parametrize("url", ["/", "/api/entities", "/api/facts", "/api/documents/night-train",
                                 "/api/entities/film:night-train", "/openapi.json", "/docs"])
def test_head_works_wherever_get_does(client, url):
    get, head = client.get(url), client.head(url)
    assert get.status_code == 200 and head.status_code == 200
    assert head.content == b"" and head.headers["content-type"] == get.headers["content-type"]


def test_fact_sources_come_back_from_the_api(client):
    fact = client.get("/api/facts?p=director").json()["items"][0]
    assert fact["sources"] == ["rule:crew-by"] and fact["evidence"][0]["sources"] == ["rule:crew-by"]
