"""Who may change the data: an editor password kept only as a salted PBKDF2 hash.

    pbkdf2_sha256$<iterations>$<salt, base64>$<hash, base64>

`python -m loaders password` prints one; the app reads it from PARKS_EDITOR_PASSWORD_HASH or Streamlit
secrets (`editor_password_hash`). Checks compare in constant time; after repeated failures every further
attempt waits longer (`Throttle`), for all sessions of the server process at once. A damaged hash or
secrets file locks editing, with one line saying why (`hash_problem`, `secrets_problem`), rather than
letting no one in with a password that can never match, or anyone in as if none were set.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
import threading
import time
import tomllib
from pathlib import Path

from .files import utf8_reason

ITERATIONS = 240_000
FREE_ATTEMPTS = 3          # failures before the waiting starts
MAX_WAIT = 30.0            # seconds


def hash_password(password: str, *, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    salt = salt or os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return "$".join(["pbkdf2_sha256", str(iterations), base64.b64encode(salt).decode(), base64.b64encode(digest).decode()])


def hash_problem(stored: str) -> str:
    """Why `stored` is not a hash `hash_password` makes ("" when it is one): a damaged hash verifies no
    password, so the app says so instead of asking for one."""
    parts = stored.strip().split("$")
    if len(parts) != 4 or parts[0] != "pbkdf2_sha256":
        return "not a pbkdf2_sha256$<iterations>$<salt>$<hash> line (make one with python -m loaders password)"
    if not (parts[1].isascii() and parts[1].isdigit()) or not 1 <= int(parts[1]) <= 10 * ITERATIONS:
        return f"iterations {parts[1][:20]!r} is not a whole number from 1 to {10 * ITERATIONS}"
    for name, value in (("salt", parts[2]), ("hash", parts[3])):
        try:
            base64.b64decode(value, validate=True)
        except ValueError:
            return f"the {name} is not base64"
    return ""


def secrets_problem(path: Path) -> str:
    """'path: reason' when a secrets file exists and is not UTF-8 TOML, else ""."""
    try:
        tomllib.loads(Path(path).read_bytes().decode("utf-8"))
    except FileNotFoundError:
        return ""                                   # nothing is configured there
    except OSError as e:
        return f"{path}: cannot read ({e.strerror or e})"
    except UnicodeDecodeError as e:
        return f"{path}: {utf8_reason(e)}"
    except tomllib.TOMLDecodeError as e:
        return f"{path}: not TOML ({e})"
    return ""


def verify_password(password: str, stored: str) -> bool:
    """True when `password` hashes to `stored`; a malformed hash verifies nothing."""
    try:
        scheme, iterations, salt, digest = stored.strip().split("$")
        if scheme != "pbkdf2_sha256":
            return False
        expected = base64.b64decode(digest)
        got = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), base64.b64decode(salt), int(iterations))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


class Throttle:
    """Failures counted per server process; after FREE_ATTEMPTS each attempt first waits 1, 2, 4 … s."""

    def __init__(self):
        self.failures = 0
        self.lock = threading.Lock()

    def delay(self) -> float:
        with self.lock:
            extra = self.failures - FREE_ATTEMPTS
        return 0.0 if extra < 0 else min(MAX_WAIT, 2.0 ** extra)

    def attempt(self, password: str, stored: str, sleep=time.sleep) -> bool:
        sleep(self.delay())
        ok = verify_password(password, stored)
        with self.lock:
            self.failures = 0 if ok else self.failures + 1
        return ok


THROTTLE = Throttle()
