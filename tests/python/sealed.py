"""Reads a presentie register's sealed fields, for the tests' own checks.

A second, independent reading of the format in docs/reliability.md
("At-rest encryption"): the register's key is 64 hex digits in
"<register>.key"; the AEAD key is libsodium's crypto_kdf subkey 1 of it with
context "presntie"; a sealed value is "s1:" + base64url (no padding) of
nonce (24) || ciphertext || tag (16), XChaCha20-Poly1305 with the field's
name as associated data. libsodium is called through ctypes (the tests need
no Python package beyond the standard library).

    import sealed
    db = sealed.connect("register.db")      # sqlite3 connection with unseal()
    db.execute("SELECT unseal(bsn, 'bsn') FROM learner")
"""
import base64
import ctypes
import ctypes.util
import sqlite3

_sodium = ctypes.CDLL(ctypes.util.find_library("sodium") or "libsodium.so.23")
if _sodium.sodium_init() < 0:
    raise RuntimeError("libsodium could not be initialised")

_NONCE, _TAG = 24, 16


def _aead_key(register_path):
    with open(register_path + ".key") as f:
        master = bytes.fromhex(f.read().strip())
    sub = ctypes.create_string_buffer(32)
    if _sodium.crypto_kdf_derive_from_key(sub, ctypes.c_size_t(32), ctypes.c_uint64(1),
                                          b"presntie", master) != 0:
        raise RuntimeError("crypto_kdf_derive_from_key failed")
    return sub.raw


def unseal(key, value, field):
    """The plaintext of a sealed value; '' stays ''."""
    if value is None or value == "":
        return value
    if not value.startswith("s1:"):
        raise ValueError("not a sealed value: %r" % value[:12])
    text = value[3:]
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    nonce, box = raw[:_NONCE], raw[_NONCE:]
    out = ctypes.create_string_buffer(max(1, len(box) - _TAG))
    out_len = ctypes.c_ulonglong(0)
    ad = field.encode()
    if _sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
            out, ctypes.byref(out_len), None, box, ctypes.c_ulonglong(len(box)), ad,
            ctypes.c_ulonglong(len(ad)), nonce, key) != 0:
        raise ValueError("a sealed %s field does not open" % field)
    return out.raw[:out_len.value].decode()


def connect(register_path, readonly=False):
    """An sqlite3 connection to the register with unseal(value, field)."""
    key = _aead_key(register_path)
    if readonly:
        db = sqlite3.connect(f"file:{register_path}?mode=ro", uri=True)
    else:
        db = sqlite3.connect(register_path)
    db.create_function("unseal", 2, lambda v, f: unseal(key, v, f))
    return db
