"""CRX3 (godmode_server/extension/crx.py): what is packed reads back, with the id Chrome computes;
anything altered, truncated or signed by another key is refused with a reason."""

from __future__ import annotations

import hashlib
import struct

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from godmode_server.extension import crx

ARCHIVE = b"PK\x05\x06" + b"\x00" * 18  # an empty zip


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    return crx.load_private_key(crx.new_private_key())


def test_a_packed_file_reads_back_with_its_id(key: rsa.RSAPrivateKey) -> None:
    data = crx.pack(ARCHIVE, key)
    assert data[:4] == b"Cr24"
    assert struct.unpack_from("<I", data, 4) == (3,)
    package = crx.read(data)
    assert package.archive == ARCHIVE
    assert package.public_key == crx.public_key_der(key)
    # Chrome's id: the first 128 bits of the key's SHA-256, hex digits written a..p.
    digest = hashlib.sha256(package.public_key).hexdigest()[:32]
    assert package.extension_id == digest.translate(
        str.maketrans("0123456789abcdef", "abcdefghijklmnop")
    )


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (lambda d: b"Cr25" + d[4:], "does not start with Cr24"),
        (lambda d: d[:4] + struct.pack("<I", 2) + d[8:], "format version 2"),
        (lambda d: d[:8] + struct.pack("<I", 10**6) + d[12:], "does not fit"),
        (lambda d: d[:-1] + bytes([d[-1] ^ 1]), "signature does not match"),
        (lambda d: d + b"x", "signature does not match"),
        (lambda d: d[:11], "truncated"),
    ],
)
def test_a_damaged_file_is_refused_with_the_reason(
    key: rsa.RSAPrivateKey, damage: object, reason: str
) -> None:
    data = crx.pack(ARCHIVE, key)
    with pytest.raises(crx.CrxError, match=reason):
        crx.read(damage(data))  # type: ignore[operator]


def test_a_header_with_another_keys_proof_is_refused(key: rsa.RSAPrivateKey) -> None:
    other = crx.load_private_key(crx.new_private_key())
    mine, theirs = crx.pack(ARCHIVE, key), crx.pack(ARCHIVE, other)
    # Their proof with my id: the key does not hash to the id, so no proof counts.
    header_mine = mine[12 : 12 + struct.unpack_from("<I", mine, 8)[0]]
    header_theirs = theirs[12 : 12 + struct.unpack_from("<I", theirs, 8)[0]]
    signed_mine = header_mine[header_mine.rindex(b"\x82\xf1\x04") :]
    proof_theirs = header_theirs[: header_theirs.rindex(b"\x82\xf1\x04")]
    forged = proof_theirs + signed_mine
    data = b"Cr24" + struct.pack("<II", 3, len(forged)) + forged + ARCHIVE
    with pytest.raises(crx.CrxError, match="no RSA proof by the key its id names"):
        crx.read(data)


def test_a_key_that_is_not_rsa_or_not_a_key_is_refused() -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    ec_pem = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with pytest.raises(crx.CrxError, match="must be an RSA key"):
        crx.load_private_key(ec_pem)
    with pytest.raises(crx.CrxError, match="not an unencrypted PEM private key"):
        crx.load_private_key(b"-----BEGIN NOTHING-----\n")
