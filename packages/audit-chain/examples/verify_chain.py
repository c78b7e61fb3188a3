#!/usr/bin/env python3
"""Independent check of a stela.audit/csv/v1 export, written from SPEC.md alone (§4, §6, §8.4).

Checks every row's leaf hash, the hash chain and the Merkle root against the checkpoint's
root. It does not check signatures or commitments: use `stela-audit verify` for the full check.
Standard library only.  Usage: python3 verify_chain.py export.csv
"""
import base64, csv, hashlib, json, sys

def jcs(v):  # RFC 8785 for these values. Python sorts keys by code point, JCS by UTF-16 unit:
    # they differ only between astral and U+E000-U+FFFF keys. Floats other than short decimals
    # may also print differently; the TypeScript verifier has neither limit.
    return json.dumps(v, sort_keys=True, separators=(',', ':'), ensure_ascii=False)

def unescape(c):  # SPEC §8.4
    return c[1:] if c[:1] == "'" and c[1:2] in ("'", '=', '+', '-', '@', '\t', '\r') else c

H = lambda b: hashlib.sha256(b).digest()
rows = list(csv.reader(open(sys.argv[1], encoding='utf-8-sig', newline='')))
head, desc = rows[0], json.loads(rows[1][-1])
prev, stack = desc['prefix']['chain_head'], [(bytes.fromhex(h), None) for h in desc['prefix']['compact_range']]
size = desc['prefix']['size']
for r in rows[2:-1]:
    e = dict(zip(head, map(unescape, r)))
    commitments = json.loads(e['commitments'])
    meta = {k: v for k, v in json.loads(e['metadata']).items() if 'metadata.' + k not in commitments}
    leaf = {'@type': 'stela.audit/entry/v1', 'seq': int(e['seq']), 'metadata': meta, 'commitments': commitments}
    for k in ('tenant', 'prev_hash', 'occurred_at', 'recorded_at', 'action', 'outcome', 'actor_type', 'actor_id', 'target_type', 'target_id', 'request_id'):
        if e[k]: leaf[k] = e[k]
    h = H(b'\x00' + jcs(leaf).encode())
    assert e['prev_hash'] == prev and h.hex() == e['hash'], f"seq {e['seq']}: chain or hash mismatch"
    prev, size = e['hash'], size + 1
    node, level = h, 0  # compact-range append: merge equal-sized subtrees (RFC 6962 §2.1)
    while size >> level & 1 == 0: node, level = H(b'\x01' + stack.pop()[0] + node), level + 1
    stack.append((node, level))
root = stack[-1][0] if stack else H(b'')
for node, _ in reversed(stack[:-1]): root = H(b'\x01' + node + root)
cp = json.loads(base64.urlsafe_b64decode(json.loads(rows[-1][-1])['jws'].split('.')[1] + '=='))
assert cp['size'] != size or (cp['root'] == root.hex() and cp['chain_head'] == prev), 'root mismatch'
print(f"chain and hashes OK: {len(rows) - 3} rows, root {root.hex()}" + ("" if cp['size'] == size else f" (checkpoint covers {cp['size']}; check the consistency proof with stela-audit)"))
