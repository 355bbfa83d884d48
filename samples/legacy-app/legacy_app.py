#!/usr/bin/env python3
"""A small application with its own encryption, as a team has it before adopting Breakglass.

It keeps notes in a PostgreSQL table (one JSON envelope per row, in a jsonb column) and in a
folder (one JSON envelope per file), encrypted with AES-256-GCM from the `cryptography` package
under a 32-byte key it reads, base64-encoded, from the environment. Its envelope names no key:

    table:  {"scheme": "notes-aesgcm", "iv": <base64>, "data": <base64>, "tag": <base64>}
            associated data: the row id as decimal text
    folder: the same fields, hex-encoded; associated data: the file's path relative to the folder

    LEGACY_APP_KEY            the current key (base64), used to write and tried first to read
    LEGACY_APP_PREVIOUS_KEY   optional: the previous key, tried when the current one fails

    legacy_app.py write --dsn DSN --table T --folder F --count N
    legacy_app.py read  --dsn DSN --table T --folder F

`read` decrypts every row and file and checks each holds the note written for it; it exits 1
listing every item it cannot read, 0 when all are read.
"""

import argparse
import base64
import json
import os
import secrets
import sys
from pathlib import Path

import psycopg
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

SCHEME = "notes-aesgcm"
TAG_BYTES = 16


def key_from_env(name, required=True):
    text = os.environ.get(name)
    if not text:
        if required:
            sys.exit(f"{name} is not set")
        return None
    key = base64.b64decode(text, validate=True)
    if len(key) != 32:
        sys.exit(f"{name} is not a base64 32-byte key")
    return key


def note(kind, key):
    return json.dumps({"kind": kind, "key": key, "text": f"note {key}: take with food"}).encode()


def seal(key, plaintext, associated_data, encode):
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(key).encrypt(nonce, plaintext, associated_data)
    return {
        "scheme": SCHEME,
        "iv": encode(nonce),
        "data": encode(sealed[:-TAG_BYTES]),
        "tag": encode(sealed[-TAG_BYTES:]),
    }


def unseal(keys, envelope, associated_data, decode):
    if envelope.get("scheme") != SCHEME:
        raise ValueError("not a notes envelope")
    sealed = decode(envelope["data"]) + decode(envelope["tag"])
    for key in keys:
        try:
            return AESGCM(key).decrypt(decode(envelope["iv"]), sealed, associated_data)
        except InvalidTag:
            continue
    raise ValueError("no key decrypts it")


def b64(data):
    return base64.b64encode(data).decode()


def unb64(text):
    return base64.b64decode(text, validate=True)


def write(args):
    key = key_from_env("LEGACY_APP_KEY")
    folder = Path(args.folder)
    with psycopg.connect(args.dsn) as db:
        db.execute(f"CREATE TABLE IF NOT EXISTS {args.table} (id bigint PRIMARY KEY, payload jsonb)")
        for i in range(1, args.count + 1):
            envelope = seal(key, note("row", str(i)), str(i).encode(), b64)
            db.execute(f"INSERT INTO {args.table} (id, payload) VALUES (%s, %s)", (i, json.dumps(envelope)))
    for i in range(1, args.count + 1):
        relative = f"notes/{i:04d}.json"
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(seal(key, note("file", relative), relative.encode(), bytes.hex)))
    print(f"wrote {args.count} rows into {args.table} and {args.count} files into {folder}")


def read(args):
    keys = [key_from_env("LEGACY_APP_KEY")]
    previous = key_from_env("LEGACY_APP_PREVIOUS_KEY", required=False)
    if previous:
        keys.append(previous)
    failures = []
    rows = files = 0
    with psycopg.connect(args.dsn) as db:
        for row_id, payload in db.execute(f"SELECT id, payload FROM {args.table} ORDER BY id"):
            rows += 1
            envelope = payload if isinstance(payload, dict) else json.loads(payload)
            try:
                if unseal(keys, envelope, str(row_id).encode(), unb64) != note("row", str(row_id)):
                    failures.append(f"row {row_id}: holds another note")
            except (ValueError, KeyError) as e:
                failures.append(f"row {row_id}: {e}")
    folder = Path(args.folder)
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")):
        files += 1
        relative = path.relative_to(folder).as_posix()
        try:
            envelope = json.loads(path.read_text())
            if unseal(keys, envelope, relative.encode(), bytes.fromhex) != note("file", relative):
                failures.append(f"file {relative}: holds another note")
        except (ValueError, KeyError) as e:
            failures.append(f"file {relative}: {e}")
    for failure in failures:
        print(failure, file=sys.stderr)
    print(f"read {rows} rows and {files} files; {len(failures)} cannot be read")
    return 1 if failures else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["write", "read"])
    parser.add_argument("--dsn", required=True, help="a libpq connection string")
    parser.add_argument("--table", default="legacy_notes")
    parser.add_argument("--folder", required=True)
    parser.add_argument("--count", type=int, default=20)
    args = parser.parse_args()
    if args.mode == "write":
        write(args)
        return 0
    return read(args)


if __name__ == "__main__":
    sys.exit(main())
