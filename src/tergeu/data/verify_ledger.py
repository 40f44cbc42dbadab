#!/usr/bin/env python3
"""Standalone verifier of a Tergeu custody ledger export. Needs only Python 3 and `cryptography`.

Usage: python3 verify_ledger.py ledger.jsonl public_keys.json
Exit status 0 when every entry's hash, chain link and signature verify, 1 otherwise.
"""

import hashlib
import json
import sys

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

GENESIS = "0" * 64
FIELDS = ("case", "seq", "ts", "actor", "action", "evidence", "details", "prev")


def canonical(payload: dict) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def merkle_root(hashes: list) -> str:
    if not hashes:
        return GENESIS
    level = [bytes.fromhex(h) for h in hashes]
    while len(level) > 1:
        nxt = [hashlib.sha256(level[i] + level[i + 1]).digest() for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            nxt.append(level[-1])
        level = nxt
    return level[0].hex()


def main(ledger_path: str, keys_path: str) -> int:
    with open(keys_path, encoding="utf-8") as fh:
        keys = json.load(fh)
    problems, hashes, prev = [], [], GENESIS
    with open(ledger_path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            entry = json.loads(line)
            payload = {k: entry[k] for k in FIELDS}
            digest = hashlib.sha256(canonical(payload)).hexdigest()
            if entry["seq"] != n:
                problems.append(f"line {n}: sequence {entry['seq']}, expected {n}")
            if entry["prev"] != prev:
                problems.append(f"line {n}: previous hash does not link to line {n - 1}")
            if digest != entry["hash"]:
                problems.append(f"line {n}: content hash {digest} differs from recorded {entry['hash']}")
            key = keys.get(entry["actor"])
            if key is None:
                problems.append(f"line {n}: no public key for {entry['actor']}")
            else:
                try:
                    Ed25519PublicKey.from_public_bytes(bytes.fromhex(key["public_key"])).verify(
                        bytes.fromhex(entry["signature"]), bytes.fromhex(digest)
                    )
                except (InvalidSignature, ValueError):
                    problems.append(f"line {n}: signature of {entry['actor']} does not verify")
            prev = entry["hash"]
            hashes.append(entry["hash"])
    for p in problems:
        print("FAIL", p)
    print(f"entries: {len(hashes)}")
    print(f"seal (Merkle root): {merkle_root(hashes)}")
    print("RESULT:", "OK" if not problems else "FAILED")
    return 0 if not problems else 1


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
