"""Shared fixtures: a real PostgreSQL server for the `postgres` tests, and one database URL per backend.

Set REELGRAPH_TEST_POSTGRES_URL to use an existing server instead of starting one
(its tables are dropped and re-created for every test).
"""
from __future__ import annotations

import glob
import hashlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_DATABASE = "reelgraph_test"


def _pg_bin_dir() -> Path | None:
    """The folder holding initdb and pg_ctl: PATH first, then the usual install places."""
    found = [shutil.which("initdb"), *sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True),
             "/usr/local/bin/initdb", "/usr/local/pgsql/bin/initdb"]
    for initdb in filter(None, found):
        folder = Path(initdb).resolve().parent
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_server_user(args: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run it as the `postgres` user then."""
    if os.geteuid() != 0:
        return args
    if shutil.which("runuser"):
        return ["runuser", "-u", "postgres", "--", *args]
    return ["su", "postgres", "-c", " ".join(f"'{a}'" for a in args)]


def _run(args: list[str], what: str) -> None:
    done = subprocess.run(_as_server_user(args), capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise RuntimeError(f"{what} failed: {tail[0]}")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A SQLAlchemy URL to an empty database on a throwaway PostgreSQL server started for this session."""
    external = os.environ.get("REELGRAPH_TEST_POSTGRES_URL")
    if external:
        yield external
        return
    folder = _pg_bin_dir()
    if folder is None:
        pytest.skip("PostgreSQL not available: no initdb/pg_ctl on PATH, /usr/lib/postgresql or /usr/local/bin")
    if os.geteuid() == 0:
        try:
            server_user = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("PostgreSQL not available: running as root and there is no `postgres` user")
    root = Path(tempfile.mkdtemp(prefix="reelgraph-pg-"))
    if os.geteuid() == 0:
        os.chown(root, server_user.pw_uid, server_user.pw_gid)
    data, port = root / "data", _free_port()
    pg_ctl = str(folder / "pg_ctl")
    started = False
    try:
        _run([str(folder / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"],
             "initdb")
        options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
        _run([pg_ctl, "-D", str(data), "-o", options, "-l", str(root / "server.log"), "-w", "-t", "60", "start"],
             "pg_ctl start")
        started = True
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {PG_DATABASE}")
    except (OSError, RuntimeError, subprocess.TimeoutExpired, ImportError) as err:
        if started:
            subprocess.run(_as_server_user([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]), capture_output=True)
        shutil.rmtree(root, ignore_errors=True)
        pytest.skip(f"PostgreSQL not available: {err}")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/{PG_DATABASE}"
    finally:
        subprocess.run(_as_server_user([pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"]), capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database, once per backend: a SQLite file, then PostgreSQL."""
    if request.param == "sqlite":
        return str(tmp_path / "reelgraph.db")
    url = request.getfixturevalue("postgres_url")
    from sqlalchemy import create_engine

    from reelgraph.store import metadata

    engine = create_engine(url)
    try:
        metadata.drop_all(engine)
    finally:
        engine.dispose()
    return url


class Article:
    """The one hand-made `Extraction` builder for tests: entities by the phrase that mentions them,
    facts by the sentence around a phrase (or, with `exact=True`, by the phrase itself).

    `names` maps an entity id to (type, name, year) or (type, name, year, catalog_key)."""

    def __init__(self, key: str, text: str, names: dict, title: str | None = None, source: str = "test",
                 url: str | None = None):
        from reelgraph.types import Document

        self.names = names
        self.doc = Document(key, text, text, source=source, url=url, title=title if title is not None else f"About {key}",
                            sha256=hashlib.sha256(text.encode()).hexdigest())
        self.entities, self.facts, self.quotes = {}, [], []

    def span(self, phrase: str):
        at = self.doc.text.index(phrase)
        return self.doc.span(at, at + len(phrase))

    def sentence(self, phrase: str):
        text, at = self.doc.text, self.doc.text.index(phrase)
        start = text.rfind(". ", 0, at)
        end = text.find(". ", at + len(phrase))
        return self.doc.span(0 if start < 0 else start + 2, len(text) if end < 0 else end + 1)

    def label(self, eid: str) -> str:
        _, name, year, *_ = self.names[eid]
        return f"{name} ({year})" if year else name

    def mention(self, eid: str, phrase: str) -> "Article":
        from reelgraph.types import Entity

        kind, name, year, *key = self.names[eid]
        entity = self.entities.setdefault(eid, Entity(eid, kind, name, year, catalog_key=key[0] if key else None))
        entity.mentions.append(self.span(phrase))
        return self

    def fact(self, s_id: str, p: str, o, phrase: str, o_id: str | None = None, exact: bool = False,
             **qualifiers) -> "Article":
        from reelgraph.types import Fact

        evidence = self.span(phrase) if exact else self.sentence(phrase)
        self.facts.append(Fact(self.label(s_id), p, o, evidence, qualifiers=qualifiers, s_id=s_id, o_id=o_id))
        return self

    def quote(self, words: str, speaker: str | None, speaker_id: str | None, outlet: str | None = None) -> "Article":
        from reelgraph.types import Quote

        self.quotes.append(Quote(words, self.span(words), speaker=speaker, speaker_id=speaker_id, outlet=outlet))
        return self

    def build(self):
        from reelgraph.types import Extraction

        return Extraction(self.doc, list(self.entities.values()), self.facts, self.quotes)
