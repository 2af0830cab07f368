#!/usr/bin/env python3
"""Makes token04-vectors.json: Token04 tokens computed without any of Wenzhen's code.

CBC tokens are encrypted by the `openssl enc` command, GCM tokens by Python's `cryptography`
package; the framing is packed here following ZEGO's published layout. The Java tests decode these
and must get the plaintext back, and must encode the same claims with the same IV to the same bytes.
Run: python3 token04/src/test/vectors/make_vectors.py > token04/src/test/resources/token04-vectors.json
"""
import base64, json, struct, subprocess
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

SECRET = "fa94dd0f974cf2e293728a526b028271"

def plaintext(app_id, user_id, nonce, ctime, expire, payload):
    # ZEGO's Node/Python order; compact separators like every assistant
    return json.dumps({"app_id": app_id, "user_id": user_id, "nonce": nonce, "ctime": ctime,
                       "expire": expire, "payload": payload}, separators=(",", ":"), ensure_ascii=False).encode()

def cbc(pt, iv, expire):
    ct = subprocess.run(["openssl", "enc", "-aes-256-cbc", "-K", SECRET.encode().hex(), "-iv", iv.hex()],
                        input=pt, capture_output=True, check=True).stdout
    return "04" + base64.b64encode(struct.pack(">qH", expire, len(iv)) + iv + struct.pack(">H", len(ct)) + ct).decode()

def gcm(pt, nonce, expire):
    ct = AESGCM(SECRET.encode()).encrypt(nonce, pt, None)   # ciphertext || 16-byte tag, no AAD
    return "04" + base64.b64encode(struct.pack(">qH", expire, len(nonce)) + nonce + struct.pack(">H", len(ct)) + ct + b"\x01").decode()

privileged = json.dumps({"room_id": "consult-42", "privilege": {"1": 1, "2": 1},
                         "stream_id_list": ["doctor-7_main"]}, separators=(",", ":"))
login_only = json.dumps({"room_id": "", "privilege": {"1": 1, "2": 0}, "stream_id_list": None}, separators=(",", ":"))
cases = [
    ("cbc-basic", "CBC", 1, "demo", 123456789, 1700000000, 1700003600, "", b"0123456789abcdef"),
    ("cbc-privileged", "CBC", 3735928559, "patient_1001", 2147483000, 1700000000, 1700086400, privileged, bytes(range(16))),
    ("cbc-unicode-user", "CBC", 1234567890, "医生-张", 7, 1700000000, 1700000600, login_only, b"zyxwvutsrqponmlk"),
    ("gcm-basic", "GCM", 1, "demo", 123456789, 1700000000, 1700003600, "", b"abcdefghijkl"),
    ("gcm-privileged", "GCM", 3735928559, "patient_1001", 90000000, 1700000000, 1700086400, privileged, bytes(range(100, 112))),
    ("gcm-login-only", "GCM", 1234567890, "doctor_7", 1, 1700000000, 1700000600, login_only, b"\x00" * 12),
]
out = []
for name, fmt, app, user, nonce, ctime, expire, payload, iv in cases:
    pt = plaintext(app, user, nonce, ctime, expire, payload)
    token = cbc(pt, iv, expire) if fmt == "CBC" else gcm(pt, iv, expire)
    out.append({"name": name, "format": fmt, "secret": SECRET, "appId": app, "userId": user, "nonce": nonce,
                "ctime": ctime, "expire": expire, "payload": payload, "ivHex": iv.hex(), "token": token})
print(json.dumps(out, indent=2, ensure_ascii=False))
