"""Every error one line (issue 14, point 7), bounded stdin (point 2), and workers that die with
their parent (point 5). Each test is one reproduction from the issue."""
from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reelgraph import read as read_module
from reelgraph.cli import app

EXE = Path(sys.executable).with_name("reelgraph")
GOOD = "Heat (1995), directed by Michael Mann, stars Al Pacino as Vincent Hanna.\n"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def error_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("error:")]


def test_read_only_database_is_one_line(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD)
    db = tmp_path / "ro.db"
    assert run("ingest", str(tmp_path / "a.txt"), "--db", str(db), "--jobs", "1")[0] == 0
    (tmp_path / "b.txt").write_text(GOOD.replace("1995", "1996"))
    os.chmod(db, stat.S_IRUSR)
    for extra in ("-wal", "-shm"):
        if Path(f"{db}{extra}").exists():
            os.chmod(f"{db}{extra}", stat.S_IRUSR)
    try:
        if os.access(db, os.W_OK):
            pytest.skip("running as a user who can write read-only files (root)")
        code, output = run("ingest", str(tmp_path / "b.txt"), "--db", str(db), "--jobs", "1")
    finally:
        os.chmod(db, stat.S_IRUSR | stat.S_IWUSR)
    assert code == 1 and len(error_lines(output)) == 1 and "Traceback" not in output


def test_store_write_errors_are_one_line(tmp_path, monkeypatch):
    """The same promise where chmod cannot reproduce it: the database refuses the write."""
    from sqlalchemy.exc import OperationalError

    from reelgraph import store as store_module

    def refuse(*_a, **_k):
        raise OperationalError("INSERT", {}, sqlite3.OperationalError("attempt to write a readonly database"))

    monkeypatch.setattr(store_module, "write_document", refuse)
    (tmp_path / "a.txt").write_text(GOOD)
    code, output = run("ingest", str(tmp_path / "a.txt"), "--db", str(tmp_path / "g.db"), "--jobs", "1")
    assert code == 1 and error_lines(output) == [
        f"error: cannot write to sqlite:///{tmp_path / 'g.db'}: attempt to write a readonly database"]


def test_failed_file_in_a_folder_adds_no_exit_line(tmp_path):
    (tmp_path / "good.txt").write_text(GOOD)
    (tmp_path / "empty.txt").write_text("")
    code, output = run("ingest", str(tmp_path), "--db", str(tmp_path / "g.db"), "--jobs", "1")
    assert code == 1
    assert "Exit" not in output and error_lines(output) == []
    assert "empty.txt" in output and "1 added" in output and "1 failed" in output


def test_non_utf8_file_name_names_the_path_and_leaves_no_tmp(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    bad = os.fsencode(folder) + b"/caf\xe9.txt"
    with open(bad, "wb") as f:
        f.write(GOOD.encode())
    out = tmp_path / "out"
    code, output = run("extract", str(folder), "--out", str(out))
    assert code == 0, output
    assert "caf\\xe9" in output
    assert not list(out.glob("*.tmp"))
    assert [p.name for p in out.glob("*.json")] == ["caf\\xe9.json"]


def test_unreadable_subfolder_is_reported(tmp_path, monkeypatch):
    (tmp_path / "ok.txt").write_text(GOOD)
    (tmp_path / "locked").mkdir()
    real_walk = os.walk

    def walk(top, onerror=None, **kw):  # as os.walk does when listing a folder is denied
        for folder, dirs, files in real_walk(top, onerror=onerror, **kw):
            if Path(folder).name == "locked":
                onerror(PermissionError(13, "Permission denied", folder))
                dirs[:] = []
                continue
            yield folder, dirs, files

    monkeypatch.setattr(read_module.os, "walk", walk)
    code, output = run("ingest", str(tmp_path), "--db", str(tmp_path / "g.db"), "--jobs", "1")
    assert code == 1 and "cannot read folder" in output and "locked" in output and "1 added" in output
    code, output = run("extract", str(tmp_path), "--out", str(tmp_path / "out"))
    assert code == 1 and error_lines(output) == [f"error: cannot read folder {tmp_path / 'locked'}: Permission denied"]


def test_fifo_is_reported_as_not_a_regular_file(tmp_path):
    fifo = tmp_path / "feed.txt"
    os.mkfifo(fifo)
    for command in (["extract", str(fifo)], ["ingest", str(fifo), "--db", str(tmp_path / "g.db")]):
        code, output = run(*command)
        assert code == 1 and error_lines(output) == [f"error: not a regular file or folder (a FIFO, socket or device): {fifo}"]


def test_stdin_of_endless_zeros_stops_at_the_limit():
    with open("/dev/zero", "rb") as zeros:
        proc = subprocess.run([str(EXE), "extract", "-"], stdin=zeros, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == ["error: input too large (more than the 5 MB limit): stdin"]


def _children(pid: int) -> set[int]:
    """Every live descendant of pid (from /proc)."""
    found, frontier = set(), {pid}
    while frontier:
        parent = frontier.pop()
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == parent and fields[0] != "Z" and int(entry) not in found:
                    found.add(int(entry))
                    frontier.add(int(entry))
    return found


def _alive(pids: set[int]) -> set[int]:
    out = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            out.add(pid)
    return out


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_workers_die_with_the_ingest_process(tmp_path, sig):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(40):
        (folder / f"a{i}.txt").write_text(GOOD.replace("1995", str(1950 + i)) * 30)
    db = tmp_path / "g.db"
    proc = subprocess.Popen([str(EXE), "ingest", str(folder), "--db", str(db), "--jobs", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    children: set[int] = set()
    for _ in range(600):  # wait until the workers run
        children |= _children(proc.pid)
        if len(children) >= 3 or proc.poll() is not None:
            break
        time.sleep(0.1)
    if proc.poll() is not None:
        pytest.skip("ingest finished before the workers could be seen")
    proc.send_signal(sig)
    proc.wait(timeout=60)
    for _ in range(300):  # liveness, not speed: every child must go
        if not _alive(children):
            break
        time.sleep(0.1)
    assert not _alive(children)
    with sqlite3.connect(db) as conn:  # whatever was written is whole: every document has its key
        orphans = conn.execute("select count(*) from documents d where not exists "
                               "(select 1 from document_paths p where p.document_id = d.id)").fetchone()[0]
    assert orphans == 0
