"""Private by default: `make run` listens on loopback only unless sign-in is configured."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crm_logic import auth, store

ROOT = Path(__file__).resolve().parent.parent
OIDC = """[auth]
redirect_uri = "http://localhost:8501/oauth2callback"
cookie_secret = "a long random string"
client_id = "crm-lens"
client_secret = "xyz"
server_metadata_url = "https://id.example.com/.well-known/openid-configuration"
"""


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.1.1", "[::1]"])
def test_loopback_always_allowed(host: str) -> None:
    ok, line = auth.serve_check(host, users=False, oidc=False)
    assert ok and "loopback only" in line and "no sign-in configured" in line


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "crm.example.com"])
def test_other_addresses_need_sign_in(host: str) -> None:
    ok, line = auth.serve_check(host, users=False, oidc=False)
    assert not ok and "refusing" in line
    assert auth.serve_check(host, users=True, oidc=False)[0]
    assert auth.serve_check(host, users=False, oidc=True)[0]


def test_oidc_detected_only_when_complete(tmp_path: Path) -> None:
    f = tmp_path / "secrets.toml"
    assert not auth.oidc_configured(f)  # no file
    f.write_text(OIDC)
    assert auth.oidc_configured(f)
    f.write_text(OIDC.replace('client_id = "crm-lens"\n', ""))
    assert not auth.oidc_configured(f)
    named = OIDC.replace("client_id", "[auth.google]\nclient_id").replace(
        'client_secret = "xyz"\n', 'client_secret = "xyz"\n')
    f.write_text(named)
    assert auth.oidc_configured(f)
    f.write_text("not = toml = at all")
    assert not auth.oidc_configured(f)


def _check(db: Path, host: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crm_logic", "--db", str(db), "serve-check", host, *extra],
        capture_output=True, text=True, cwd=ROOT, timeout=60)


def test_serve_check_cli(tmp_path: Path) -> None:
    db, secrets = tmp_path / "crm.duckdb", tmp_path / "secrets.toml"
    local = _check(db, "127.0.0.1", "--secrets", str(secrets))
    assert local.returncode == 0
    assert local.stdout == ("serving on http://127.0.0.1:8501 (loopback only; no sign-in "
                            "configured: only this computer can open it)\n")
    refused = _check(db, "0.0.0.0", "--secrets", str(secrets))
    assert refused.returncode == 2 and refused.stdout == ""
    assert refused.stderr.startswith("error: refusing to serve on 0.0.0.0 without sign-in")
    secrets.write_text(OIDC)
    assert _check(db, "0.0.0.0", "--secrets", str(secrets)).returncode == 0
    secrets.unlink()
    con = store.connect(db)
    auth.add_user(con, "ann", "correct horse", "analyst", dt.datetime(2026, 1, 1))
    con.close()
    opened = _check(db, "0.0.0.0", "--secrets", str(secrets))
    assert opened.returncode == 0 and "sign-in required (users in the store)" in opened.stdout


def _make_run(*args: str) -> list[str]:
    out = subprocess.run(["make", "-n", "-o", ".venv/.installed", "run", "PY=PYBIN", *args],
                         capture_output=True, text=True, cwd=ROOT, timeout=60, check=True)
    return [line for line in out.stdout.splitlines() if line.startswith("PYBIN")]


def test_makefile_run_listens_on_loopback_by_default() -> None:
    lines = _make_run()
    assert lines[-2] == "PYBIN -m crm_logic serve-check 127.0.0.1 --port 8501"
    assert lines[-1].startswith("PYBIN -m streamlit run app.py --server.address 127.0.0.1 ")
    wide = _make_run("HOST=0.0.0.0", "PORT=9000")
    assert wide[-2] == "PYBIN -m crm_logic serve-check 0.0.0.0 --port 9000"
    assert "--server.address 0.0.0.0 --server.port 9000" in wide[-1]


def _listening(port: int) -> set[str]:
    """Local addresses (hex, as in /proc/net/tcp*) with a socket listening on `port`."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            addr, hexport = local.rsplit(":", 1)
            if state == "0A" and int(hexport, 16) == port:
                found.add(addr)
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(db: Path, port: int, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "CRM_DB": str(db)}
    return subprocess.Popen(
        ["make", "-s", "-o", ".venv/.installed", "run", f"PY={sys.executable}",
         f"PORT={port}", *args],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True)


def test_make_run_serves_loopback_only_and_refuses_wide(sample_db_master: Path,
                                                        tmp_path: Path) -> None:
    db = tmp_path / "crm.duckdb"
    shutil.copy(sample_db_master, db)
    port = _free_port()
    proc = _run(db, port)
    try:
        deadline = time.monotonic() + 60
        while not _listening(port) and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.3)
        addrs = _listening(port)
        assert addrs == {"0100007F"}, addrs  # 127.0.0.1 and nothing else
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        out = proc.communicate(timeout=30)[0]
    assert "loopback only; no sign-in configured" in out
    wide = _run(db, _free_port(), "HOST=0.0.0.0")
    out = wide.communicate(timeout=60)[0]
    assert wide.returncode != 0 and "refusing to serve on 0.0.0.0 without sign-in" in out
    assert "streamlit run" not in out.split("refusing")[1]
