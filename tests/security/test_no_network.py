"""No network access of any kind during a run (issue 10, reliability.md (c) lxml): pages full of
external resources, external DTDs and entities, <base>, meta refresh and the like are cleaned by a
real `curate clean` while

- every Python-level socket connect and name lookup in the run and its worker processes is
  recorded and refused (a sitecustomize on the subprocesses' path), and
- a TCP listener on 127.0.0.1 that every URL in the pages points at records any connection at all,
  which also catches C code (libxml2 fetching a DTD) that never goes through Python's socket module.

External entities that name a local file (XXE) must not pull the file's text into the corpus.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import orjson

SITECUSTOMIZE = '''
import os, socket
_LOG = os.environ["CURATE_TEST_NET_LOG"]

def _refuse(what, detail):
    with open(_LOG, "a") as handle:
        handle.write(f"{os.getpid()} {what} {detail!r}\\n")
    raise OSError(f"network access refused by the test: {what} {detail!r}")

_connect, _connect_ex = socket.socket.connect, socket.socket.connect_ex

def connect(self, address):
    if self.family != socket.AF_UNIX:  # multiprocessing's own AF_UNIX sockets are not network
        _refuse("connect", address)
    return _connect(self, address)

def connect_ex(self, address):
    if self.family != socket.AF_UNIX:
        _refuse("connect_ex", address)
    return _connect_ex(self, address)

socket.socket.connect, socket.socket.connect_ex = connect, connect_ex
socket.getaddrinfo = lambda *args, **kwargs: _refuse("getaddrinfo", args[:2])
socket.gethostbyname = lambda *args: _refuse("gethostbyname", args)
'''


def _pages(url: str, secret: Path) -> dict[str, str]:
    body = ("<p>The harbour ferry runs every hour in winter, and the council has published a new "
            "timetable for the evening service on the river.</p>" * 3)
    return {
        "resources.html": f"""<html><head><base href="{url}/base/">
<link rel="stylesheet" href="{url}/style.css"><script src="{url}/app.js"></script>
<style>@import url("{url}/import.css"); body {{ background: url({url}/bg.png) }}</style>
<meta http-equiv="refresh" content="0; url={url}/refresh"><link rel="preload" href="{url}/font.woff">
</head><body><img src="{url}/img.png" srcset="{url}/a.png 2x"><iframe src="{url}/frame"></iframe>
<object data="{url}/obj"></object><video poster="{url}/poster.png"><source src="{url}/v.mp4"></video>
<svg><image href="{url}/svg.png"/><use xlink:href="{url}/sprite.svg#i"/></svg>
<article><h1>Ferry timetable</h1>{body}<a href="relative/link">more</a></article></body></html>""",
        "doctype.html": f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "{url}/xhtml1-strict.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><body><article>{body}</article></body></html>""",
        "entities.html": f"""<?xml version="1.0"?>
<!DOCTYPE html SYSTEM "{url}/system.dtd" [
  <!ENTITY remote SYSTEM "{url}/entity.txt">
  <!ENTITY secret SYSTEM "file://{secret}">
  <!ENTITY % param SYSTEM "{url}/param.dtd"> %param;
  <!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<html><body><article><p>&remote; &secret; &lol3;</p>{body}</article></body></html>""",
        "xinclude.html": f"""<html xmlns:xi="http://www.w3.org/2001/XInclude"><body><article>
<xi:include href="{url}/xinclude.xml" parse="text"/><xi:include href="file://{secret}" parse="text"/>
{body}</article></body></html>""",
    }


class _Listener:
    """Accepts and records every TCP connection to 127.0.0.1:<port> while the run lasts."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.accepted: list[tuple[str, int]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, peer = self.sock.accept()
            except TimeoutError:
                continue
            self.accepted.append(peer)
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


def test_a_clean_run_makes_no_network_access(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-7f3a local file contents\n", encoding="utf-8")
    listener = _Listener()
    try:
        url = f"http://127.0.0.1:{listener.port}"
        socket.create_connection(("127.0.0.1", listener.port)).close()  # the listener does see connections
        for _ in range(50):
            if listener.accepted:
                break
            threading.Event().wait(0.05)
        assert len(listener.accepted) == 1
        listener.accepted.clear()
        crawl = tmp_path / "crawl"
        crawl.mkdir()
        for name, html in _pages(url, secret).items():
            (crawl / name).write_text(html, encoding="utf-8")
        (crawl / "records.jsonl").write_bytes(b"".join(
            orjson.dumps({"id": name, "html": html, "url": f"{url}/{name}"}) + b"\n"
            for name, html in _pages(url, secret).items()))
        hooks = tmp_path / "hooks"
        hooks.mkdir()
        (hooks / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
        log = tmp_path / "network.log"
        env = {**os.environ, "CURATE_TEST_NET_LOG": str(log),
               "PYTHONPATH": os.pathsep.join([str(hooks), os.environ.get("PYTHONPATH", "")])}
        store, reports = tmp_path / "corpus", tmp_path / "reports"
        # the hook works: a plain connect in the same environment is recorded and refused
        probe = subprocess.run([sys.executable, "-c", f"import socket; socket.create_connection(('127.0.0.1', {listener.port}))"],
                               env=env, capture_output=True, text=True, timeout=60)
        assert probe.returncode != 0 and "refused by the test" in probe.stderr
        assert log.read_text().count(str(listener.port)) == 1
        log.unlink()
        done = subprocess.run(
            [sys.executable, "-m", "curate", "clean", str(crawl), "--store", str(store), "--reports", str(reports),
             "--workers", "2"], env=env, capture_output=True, text=True, timeout=300)
    finally:
        listener.close()
    assert done.returncode in (0, 1), done.stderr
    assert not log.exists(), log.read_text()
    assert listener.accepted == []
    exported = subprocess.run([sys.executable, "-m", "curate", "export", "v0001", "--store", str(store)],
                              capture_output=True, text=True, timeout=120, env=env)
    assert exported.returncode == 0, exported.stderr
    assert "Ferry timetable" in exported.stdout or "harbour ferry" in exported.stdout
    assert "TOPSECRET" not in exported.stdout
    assert all("TOPSECRET" not in p.read_text(errors="replace") for p in reports.rglob("*") if p.is_file())
