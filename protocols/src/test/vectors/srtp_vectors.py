#!/usr/bin/env python3
"""Recomputes the SRTP and SRTCP expectations of SrtpTest without any Wenzhen code.

AES-CM and HMAC-SHA1 come from Python's `cryptography` and `hmac`; the transform follows RFC 3711
(§4.3 key derivation, §4.1.1 AES-CM, §4.2 HMAC-SHA1-80, §3.4 SRTCP). The RTP result equals libsrtp's
reference ciphertext for the same key (4e55dc4c…8dbb).
"""
import hashlib, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

MASTER_KEY = bytes.fromhex("e1f97a0d3e018be0d64fa32c06de4139")
MASTER_SALT = bytes.fromhex("0ec675ad498afeebb6960b3aabe6")

def ctr(key, iv, data):
    return Cipher(algorithms.AES(key), modes.CTR(iv)).encryptor().update(data)

def derive(label, n):
    x = bytearray(MASTER_SALT); x[7] ^= label
    return ctr(MASTER_KEY, bytes(x) + b"\0\0", b"\0" * n)

def iv(salt, ssrc, index):
    v = bytearray(salt + b"\0\0")
    for i in range(4): v[4 + i] ^= ssrc[i]
    for i in range(6): v[8 + i] ^= (index >> (40 - 8 * i)) & 0xff
    return bytes(v)

ck, ak, salt = derive(0, 16), derive(1, 20), derive(2, 14)
rtp = bytes.fromhex("800f1234decafbadcafebabe" + "ab" * 16)
enc = rtp[:12] + ctr(ck, iv(salt, rtp[8:12], 0x1234), rtp[12:])
print("SRTP ", (enc + hmac.new(ak, enc + bytes(4), hashlib.sha1).digest()[:10]).hex())

ck, ak, salt = derive(3, 16), derive(4, 20), derive(5, 14)
rr = bytes.fromhex("81c90007cafebabe11111111000000000000006400000000000000000000000000")[:32]
index = 1
enc = rr[:8] + ctr(ck, iv(salt, rr[4:8], index), rr[8:]) + (0x80000000 | index).to_bytes(4, "big")
print("SRTCP", (enc + hmac.new(ak, enc, hashlib.sha1).digest()[:10]).hex())
