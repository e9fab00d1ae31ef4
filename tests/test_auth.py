"""Sign-in logic: password hashes, wrong passwords, the per-user rate limit, `user` CLI."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from crm_logic import auth, store
from crm_logic.cli import main

ROOT = Path(__file__).resolve().parent.parent
T0 = dt.datetime(2026, 1, 5, 9, 0, 0)


@pytest.fixture()
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    c = store.connect(tmp_path / "crm.duckdb")
    auth.add_user(c, "ann", "correct horse", "analyst", T0)
    auth.add_user(c, "vic", "viewer pass 1", "viewer", T0)
    return c


def test_hash_is_salted_scrypt_and_verifies() -> None:
    a, b = auth.hash_password("same password"), auth.hash_password("same password")
    assert a != b  # a fresh salt each time
    assert a.startswith("scrypt$16384$8$1$")
    assert auth.verify_password("same password", a)
    assert not auth.verify_password("same passwore", a)
    assert not auth.verify_password("x", "garbage")


def test_password_not_stored_in_clear(con: duckdb.DuckDBPyConnection) -> None:
    stored = con.execute("SELECT password_hash FROM users WHERE name='ann'").fetchone()[0]
    assert "correct horse" not in stored and stored.startswith("scrypt$")


def test_right_password_signs_in_with_role(con: duckdb.DuckDBPyConnection) -> None:
    assert auth.authenticate(con, "ann", "correct horse", T0).role == "analyst"
    assert auth.authenticate(con, "vic", "viewer pass 1", T0).role == "viewer"


def test_wrong_password_refused(con: duckdb.DuckDBPyConnection) -> None:
    res = auth.authenticate(con, "ann", "correct horsE", T0)
    assert not res.ok and res.role is None and res.locked_seconds == 0
    assert not auth.authenticate(con, "nobody", "correct horse", T0).ok
    assert not auth.authenticate(con, "", "", T0).ok


def test_rate_limit_locks_name_then_doubles(con: duckdb.DuckDBPyConnection) -> None:
    policy = auth.LoginPolicy(max_failures=3, lockout_seconds=60)
    for i in range(2):
        assert auth.authenticate(con, "ann", "bad", T0 + dt.timedelta(seconds=i),
                                 policy).locked_seconds == 0
    third = auth.authenticate(con, "ann", "bad", T0 + dt.timedelta(seconds=2), policy)
    assert third.locked_seconds == 60
    # locked: even the right password is refused, and the state is in the store (a new
    # browser session or a restart does not reset it)
    res = auth.authenticate(con, "ann", "correct horse", T0 + dt.timedelta(seconds=30), policy)
    assert not res.ok and res.locked_seconds == 32
    # other users are not affected
    assert auth.authenticate(con, "vic", "viewer pass 1", T0 + dt.timedelta(seconds=30),
                             policy).ok
    # after the lock-out: three more failures lock for twice as long
    t1 = T0 + dt.timedelta(seconds=63)
    for i in range(3):
        res = auth.authenticate(con, "ann", "bad", t1 + dt.timedelta(seconds=i), policy)
    assert res.locked_seconds == 120
    # once free, the right password works and clears the count
    t2 = t1 + dt.timedelta(seconds=200)
    assert auth.authenticate(con, "ann", "correct horse", t2, policy).role == "analyst"
    assert con.execute("SELECT count(*) FROM login_failures WHERE name='ann'").fetchone()[0] == 0


def test_unknown_names_are_rate_limited_too(con: duckdb.DuckDBPyConnection) -> None:
    policy = auth.LoginPolicy(max_failures=2, lockout_seconds=10)
    auth.authenticate(con, "ghost", "a", T0, policy)
    assert auth.authenticate(con, "ghost", "b", T0, policy).locked_seconds == 10


def test_add_user_rejects_bad_input(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(auth.AuthError, match="8 characters"):
        auth.add_user(con, "bob", "short", "viewer", T0)
    with pytest.raises(auth.AuthError, match="role"):
        auth.add_user(con, "bob", "long enough", "admin", T0)
    with pytest.raises(auth.AuthError, match="user name"):
        auth.add_user(con, "bad name!", "long enough", "viewer", T0)
    assert auth.list_users(con) == [("ann", "analyst"), ("vic", "viewer")]


def test_remove_user(con: duckdb.DuckDBPyConnection) -> None:
    assert auth.remove_user(con, "vic")
    assert not auth.remove_user(con, "vic")
    assert auth.list_users(con) == [("ann", "analyst")]
    assert auth.has_users(con)
    auth.remove_user(con, "ann")
    assert not auth.has_users(con)


def test_no_users_on_a_fresh_store(tmp_path: Path) -> None:
    c = store.connect(tmp_path / "fresh.duckdb")
    assert not auth.has_users(c) and auth.list_users(c) == []


def _cli(args: list[str], db: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "crm_logic", "--db", str(db), *args],
                          input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_user_cli_add_list_remove(tmp_path: Path) -> None:
    db = tmp_path / "crm.duckdb"
    assert _cli(["user", "list"], db).stdout.strip() == "no users"
    out = _cli(["user", "add", "li.na", "--role", "viewer"], db, "s3cret pass\n")
    assert out.returncode == 0 and out.stdout.strip() == "user li.na saved with role viewer"
    assert _cli(["user", "list"], db).stdout.strip() == "li.na (viewer)"
    c = store.connect(db, read_only=True)
    assert auth.verify_password(
        "s3cret pass", c.execute("SELECT password_hash FROM users").fetchone()[0])
    c.close()
    short = _cli(["user", "add", "x", "--role", "viewer"], db, "abc\n")
    assert short.returncode == 2 and short.stderr.count("\n") == 1
    assert _cli(["user", "add", "x", "--role", "boss"], db, "long enough\n").returncode == 2
    gone = _cli(["user", "remove", "li.na"], db)
    assert gone.returncode == 0 and gone.stdout.strip() == "user li.na removed"
    assert _cli(["user", "remove", "li.na"], db).returncode == 2


def test_user_cli_in_process_reads_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO("pass word 9\n"))
    db = tmp_path / "crm.duckdb"
    assert main(["--db", str(db), "user", "add", "wu", "--role", "analyst"]) == 0
    c = store.connect(db)
    assert auth.authenticate(c, "wu", "pass word 9", T0).role == "analyst"
    assert not auth.authenticate(c, "wu", "pass word 9\n", T0).ok
