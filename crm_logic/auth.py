"""Sign-in: users in the store, salted scrypt password hashes, per-user rate limit, roles.

No Streamlit here: the sign-in form (`ui/auth.py`) and the CLI (`user add|list|remove`,
`serve-check`) call these functions. Every time is passed in (`now`), never read here.

- Passwords: `hashlib.scrypt` (memory-hard) with a random 16-byte salt per user; the hash
  is compared with `hmac.compare_digest` (constant time). An unknown user name costs the
  same hash as a known one, so timing does not tell which names exist.
- Rate limit: failed attempts are counted per user name in the store (server side, shared
  by every browser session and surviving a restart). After `max_failures` failures in a row
  the name is locked for `lockout_seconds`, doubling with every further lock-out.
- Roles: viewer (personal data always masked, no data changes) and analyst (may unmask,
  export unmasked, import and replace data).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import re
import secrets
import tomllib
from dataclasses import dataclass
from pathlib import Path

import duckdb

ROLES: tuple[str, ...] = ("viewer", "analyst")
NAME_PATTERN = re.compile(r"^[\w.@+-]{1,64}$")
MIN_PASSWORD = 8

# scrypt cost: n=2**14, r=8 -> 16 MiB of memory, 0.1-0.25 s per check (2 busy cores).
_N, _R, _P = 2**14, 8, 1

_DDL = """
CREATE TABLE IF NOT EXISTS users (
    name VARCHAR PRIMARY KEY,
    role VARCHAR NOT NULL,
    password_hash VARCHAR NOT NULL,   -- scrypt$n$r$p$salt_hex$hash_hex
    created_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS login_failures (
    name VARCHAR PRIMARY KEY,
    failures BIGINT NOT NULL,         -- failed attempts in a row
    lockouts BIGINT NOT NULL,         -- lock-outs so far (each one twice as long)
    locked_until TIMESTAMP
);
"""


@dataclass(frozen=True)
class LoginPolicy:
    """How many failures lock a name, and for how long (the first lock-out)."""

    max_failures: int = 5
    lockout_seconds: int = 60


@dataclass(frozen=True)
class LoginResult:
    """Outcome of one attempt: the role when signed in, else why not."""

    role: str | None
    locked_seconds: int = 0  # > 0: the name is locked for this many more seconds

    @property
    def ok(self) -> bool:
        return self.role is not None


class AuthError(ValueError):
    """A user name, role or password that cannot be used (one plain line)."""


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the users and login_failures tables if they do not exist."""
    con.cursor().execute(_DDL)


def _has_table(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    row = con.cursor().execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [table]
    ).fetchone()
    return bool(row and row[0])


def hash_password(password: str, salt: bytes | None = None) -> str:
    """`scrypt$n$r$p$salt$hash` of a password (a fresh random salt unless given)."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """True when `password` matches the stored hash (constant-time comparison)."""
    try:
        kind, n, r, p, salt, want = stored.split("$")
        if kind != "scrypt":
            return False
        got = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r),
                             p=int(p), dklen=len(want) // 2)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got.hex(), want)


_DUMMY_HASH = hash_password("not a password", salt=b"\0" * 16)


def check_name(name: str) -> str:
    """The user name, stripped; AuthError unless it is 1-64 letters, digits or . @ + - _."""
    name = name.strip()
    if not NAME_PATTERN.match(name):
        raise AuthError("a user name is 1-64 letters, digits or . @ + - _")
    return name


def add_user(con: duckdb.DuckDBPyConnection, name: str, password: str, role: str,
             now: dt.datetime | None = None) -> str:
    """Add a user (or set a new password and role for an existing one); returns the name.
    `now`: when, else the store's clock (like the import log)."""
    name = check_name(name)
    if role not in ROLES:
        raise AuthError(f"role must be one of {', '.join(ROLES)}, got {role!r}")
    if len(password) < MIN_PASSWORD:
        raise AuthError(f"a password needs at least {MIN_PASSWORD} characters")
    ensure_schema(con)
    cur = con.cursor()
    cur.execute("INSERT OR REPLACE INTO users "
                "VALUES (?, ?, ?, coalesce(?, now()::TIMESTAMP))",
                [name, role, hash_password(password), now])
    cur.execute("DELETE FROM login_failures WHERE name = ?", [name])
    return name


def remove_user(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Remove a user; False when there was none by that name."""
    if not _has_table(con, "users"):
        return False
    cur = con.cursor()
    found = cur.execute("SELECT count(*) FROM users WHERE name = ?", [name]).fetchone()
    if not found or not found[0]:
        return False
    cur.execute("DELETE FROM users WHERE name = ?", [name])
    cur.execute("DELETE FROM login_failures WHERE name = ?", [name])
    return True


def list_users(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(name, role) of every user, by name (works on a read-only connection)."""
    if not _has_table(con, "users"):
        return []
    return [(str(n), str(r)) for n, r in
            con.cursor().execute("SELECT name, role FROM users ORDER BY name").fetchall()]


def has_users(con: duckdb.DuckDBPyConnection) -> bool:
    """True when at least one sign-in user exists (then the app asks everyone to sign in)."""
    if not _has_table(con, "users"):
        return False
    row = con.cursor().execute("SELECT count(*) FROM users").fetchone()
    return bool(row and row[0])


def role_of(con: duckdb.DuckDBPyConnection, name: str) -> str | None:
    """The role of a user, None if there is no such user."""
    if not _has_table(con, "users"):
        return None
    row = con.cursor().execute("SELECT role FROM users WHERE name = ?", [name]).fetchone()
    return str(row[0]) if row else None


def locked_for(con: duckdb.DuckDBPyConnection, name: str, now: dt.datetime) -> int:
    """Seconds until `name` may try again (0: not locked)."""
    ensure_schema(con)
    row = con.cursor().execute(
        "SELECT locked_until FROM login_failures WHERE name = ?", [name]).fetchone()
    if not row or row[0] is None or row[0] <= now:
        return 0
    return max(1, int((row[0] - now).total_seconds() + 0.999))


def authenticate(con: duckdb.DuckDBPyConnection, name: str, password: str, now: dt.datetime,
                 policy: LoginPolicy = LoginPolicy()) -> LoginResult:
    """Check a sign-in attempt, counting failures per name (see the module docstring).

    While a name is locked, no password is checked at all (not even the right one).
    """
    name = name.strip()
    ensure_schema(con)
    wait = locked_for(con, name, now)
    if wait:
        return LoginResult(None, wait)
    cur = con.cursor()
    row = cur.execute("SELECT role, password_hash FROM users WHERE name = ?",
                      [name]).fetchone() if name else None
    stored = str(row[1]) if row else _DUMMY_HASH
    if verify_password(password, stored) and row is not None:
        cur.execute("DELETE FROM login_failures WHERE name = ?", [name])
        return LoginResult(str(row[0]))
    prev = cur.execute("SELECT failures, lockouts FROM login_failures WHERE name = ?",
                       [name]).fetchone()
    failures, lockouts = (int(prev[0]) + 1, int(prev[1])) if prev else (1, 0)
    locked_until = None
    if failures >= policy.max_failures:
        seconds = policy.lockout_seconds * 2**lockouts
        locked_until = now + dt.timedelta(seconds=seconds)
        failures, lockouts = 0, lockouts + 1
    cur.execute("INSERT OR REPLACE INTO login_failures VALUES (?, ?, ?, ?)",
                [name, failures, lockouts, locked_until])
    wait = locked_for(con, name, now)
    return LoginResult(None, wait)


# ---- OIDC (Streamlit's st.login) and where the app may listen --------------------------------


def oidc_providers(auth: object) -> list[str | None]:
    """Providers Streamlit's `st.login` can use, from the `[auth]` secrets section:
    None for a provider set at the top of `[auth]`, else the `[auth.NAME]` names. Empty
    unless `redirect_uri` and `cookie_secret` are set and a provider has `client_id` and
    `server_metadata_url`."""
    if not isinstance(auth, dict) or not auth.get("cookie_secret") or not auth.get(
            "redirect_uri"):
        return []

    def ready(block: dict) -> bool:
        return bool(block.get("client_id") and block.get("server_metadata_url"))

    found: list[str | None] = [None] if ready(auth) else []
    return found + [k for k, v in auth.items() if isinstance(v, dict) and ready(v)]


def oidc_configured(secrets_file: Path) -> bool:
    """True when a secrets file (`.streamlit/secrets.toml`) offers an OIDC provider."""
    try:
        data = tomllib.loads(secrets_file.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return False
    return bool(oidc_providers(data.get("auth")))


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    host = host.strip().strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve_check(host: str, users: bool, oidc: bool, port: int | str = 8501) -> tuple[bool, str]:
    """May the app listen on `host`? (allowed, one line to print).

    Loopback is always allowed; any other address only when sign-in is configured
    (users in the store or OIDC in the secrets file).
    """
    url = f"http://{host}:{port}"
    if is_loopback(host):
        how = ("sign-in required" if users or oidc
               else "no sign-in configured: only this computer can open it")
        return True, f"serving on {url} (loopback only; {how})"
    if users or oidc:
        how = ", ".join(w for w, on in (("users in the store", users), ("OIDC", oidc)) if on)
        return True, f"serving on {url}: reachable from other machines, sign-in required ({how})"
    return False, (f"refusing to serve on {host} without sign-in: add a user first "
                   "(python -m crm_logic user add NAME --role analyst) or configure OIDC "
                   "in .streamlit/secrets.toml")
