"""An independent decrypter for evidence's share bundles (Docs/share-format.md), with Python's hashlib and
cryptography: proves the format is what the document says, and rejects every tampered file.

Usage: share_decrypt.py BUNDLE_FOLDER PASSPHRASE OUT_FOLDER
Prints JSON: {"items": [{"id", "kind", "bytes", "caption"}], "manifest": {...}} and writes each item's plaintext to
OUT_FOLDER/<id>; exits 1 with a message on stderr when anything fails to authenticate.
"""
import hashlib
import json
import os
import struct
import sys

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

HEADER = 80


def parse(data):
    if len(data) < HEADER or data[:8] != b"EVSHARE1":
        raise ValueError("not a bundle file")
    iterations, = struct.unpack(">I", data[24:28])
    chunk, = struct.unpack(">I", data[68:72])
    length, = struct.unpack(">Q", data[72:80])
    return {"raw": data[:HEADER], "salt": data[8:24], "iterations": iterations, "bundle": data[28:44].hex(),
            "file": data[44:60].hex(), "prefix": data[60:68], "chunk": chunk, "length": length}


def open_file(data, key, expected=None):
    head = parse(data)
    if expected and (head["bundle"], head["file"], head["length"]) != expected:
        raise ValueError("a file from elsewhere")
    count = max(1, -(-head["length"] // head["chunk"]))
    out, at = bytearray(), HEADER
    for i in range(count):
        size = min(head["chunk"], head["length"] - i * head["chunk"])
        end = at + size + 16
        if end > len(data):
            raise ValueError("cut short")
        nonce = head["prefix"] + struct.pack(">I", i)
        aad = head["raw"] + struct.pack(">I", i) + bytes([1 if i == count - 1 else 0])
        out += AESGCM(key).decrypt(nonce, data[at:end], aad)
        at = end
    if at != len(data):
        raise ValueError("extra bytes")
    return head, bytes(out)


def main():
    if sys.argv[1] == "--file":
        # One file on its own (no manifest to check it against): its length in bytes, or a rejection.
        data = open(sys.argv[2], "rb").read()
        head = parse(data)
        key = hashlib.pbkdf2_hmac("sha256", " ".join(sys.argv[3].lower().split()).encode(), head["salt"], head["iterations"], 32)
        try:
            _, clear = open_file(data, key)
        except Exception as error:
            print(f"rejected: {type(error).__name__} {error}", file=sys.stderr)
            sys.exit(1)
        print(json.dumps({"bytes": len(clear), "sha256": hashlib.sha256(clear).hexdigest()}))
        return
    folder, passphrase, out = sys.argv[1], " ".join(sys.argv[2].lower().split()), sys.argv[3]
    manifest_bytes = open(os.path.join(folder, "manifest.bin"), "rb").read()
    head = parse(manifest_bytes)
    key = hashlib.pbkdf2_hmac("sha256", passphrase.encode(), head["salt"], head["iterations"], 32)
    try:
        head, plain = open_file(manifest_bytes, key)
        manifest = json.loads(plain)
        items = []
        for item in manifest["items"]:
            data = open(os.path.join(folder, item["file"]), "rb").read()
            _, clear = open_file(data, key, (manifest["bundle"], item["id"], item["bytes"]))
            with open(os.path.join(out, item["id"]), "wb") as f:
                f.write(clear)
            items.append({"id": item["id"], "kind": item["kind"], "bytes": len(clear), "caption": item["caption"]})
    except Exception as error:  # InvalidTag, ValueError, a missing file
        print(f"rejected: {type(error).__name__} {error}", file=sys.stderr)
        sys.exit(1)
    json.dump({"items": items, "manifest": manifest}, sys.stdout)


main()
