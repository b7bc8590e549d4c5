"""CRX3, Chrome's signed extension package: make one, and read one back checking everything.

A CRX3 file is ``Cr24``, the format version (3), the length of a protobuf header, the header and
a zip archive.  The header holds the public key and an RSA-SHA256 signature over a fixed context
string, the length-prefixed signed data (the 16-byte crx id) and the whole archive; the
extension's id is the first 16 bytes of the SHA-256 of the public key, written with the letters
a–p.  The format is Chromium's ``components/crx_file/crx3.proto``; the two small messages it
needs are encoded here rather than bringing in a protobuf runtime.

Reading is for files the server serves and IT checks, so it is strict and bounded: a wrong
magic, version, length, id or signature is a :class:`CrxError` that says which.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterator
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

MAGIC = b"Cr24"
FORMAT_VERSION = 3
_SIGNED_CONTEXT = b"CRX3 SignedData\x00"
#: The largest header read (a key and a signature are well under 2 KiB).
MAX_HEADER_BYTES = 64 * 1024
#: Key size generated for a studio (Chrome's own packer uses 2048 too).
KEY_BITS = 2048

# crx3.proto field numbers.
_HEADER_RSA_PROOF = 2
_HEADER_SIGNED_DATA = 10000
_PROOF_PUBLIC_KEY = 1
_PROOF_SIGNATURE = 2
_SIGNED_DATA_CRX_ID = 1


class CrxError(ValueError):
    """Not a valid CRX3 file, or not signed by the key it claims; the message says why."""


@dataclass(frozen=True, slots=True)
class Crx:
    extension_id: str
    public_key: bytes  #: DER SubjectPublicKeyInfo, as in a manifest's ``key`` (base64)
    archive: bytes  #: the zip


def new_private_key() -> bytes:
    """A new signing key, PEM (PKCS#8, unencrypted: it is kept as a file only the build reads)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def load_private_key(pem: bytes) -> rsa.RSAPrivateKey:
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        raise CrxError(f"not an unencrypted PEM private key ({exc})") from exc
    if not isinstance(key, rsa.RSAPrivateKey):
        raise CrxError("the signing key must be an RSA key (Chrome verifies RSA-SHA256)")
    return key


def public_key_der(key: rsa.RSAPrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def crx_id(public_key: bytes) -> bytes:
    return hashlib.sha256(public_key).digest()[:16]


def extension_id(public_key: bytes) -> str:
    """The id Chrome shows for an extension signed with (or whose manifest ``key`` is) this key."""
    return "".join(chr(ord("a") + int(c, 16)) for c in crx_id(public_key).hex())


def _signed_message(signed_data: bytes, archive: bytes) -> bytes:
    return _SIGNED_CONTEXT + struct.pack("<I", len(signed_data)) + signed_data + archive


def pack(archive: bytes, key: rsa.RSAPrivateKey) -> bytes:
    """The CRX3 file of ``archive`` (a zip), signed with ``key``."""
    public = public_key_der(key)
    signed_data = _field(_SIGNED_DATA_CRX_ID, crx_id(public))
    signature = key.sign(_signed_message(signed_data, archive), padding.PKCS1v15(), hashes.SHA256())
    proof = _field(_PROOF_PUBLIC_KEY, public) + _field(_PROOF_SIGNATURE, signature)
    header = _field(_HEADER_RSA_PROOF, proof) + _field(_HEADER_SIGNED_DATA, signed_data)
    return MAGIC + struct.pack("<II", FORMAT_VERSION, len(header)) + header + archive


def read(data: bytes) -> Crx:
    """Check a CRX3 file whole (format, id, signature) and return what it holds."""
    if data[:4] != MAGIC:
        raise CrxError("not a CRX file (it does not start with Cr24)")
    if len(data) < 12:
        raise CrxError("truncated CRX header")
    version, header_size = struct.unpack_from("<II", data, 4)
    if version != FORMAT_VERSION:
        raise CrxError(f"CRX format version {version}; only version 3 is read")
    if header_size > MAX_HEADER_BYTES or 12 + header_size > len(data):
        raise CrxError(f"CRX header of {header_size} bytes does not fit the file")
    header, archive = data[12 : 12 + header_size], data[12 + header_size :]
    if not archive:
        raise CrxError("the CRX file holds no archive")
    fields = _parse(header)
    signed_data = next((v for n, v in fields if n == _HEADER_SIGNED_DATA), None)
    if signed_data is None:
        raise CrxError("the CRX header has no signed data (no crx id)")
    claimed = next((v for n, v in _parse(signed_data) if n == _SIGNED_DATA_CRX_ID), b"")
    if len(claimed) != 16:
        raise CrxError("the CRX's signed crx id is not 16 bytes")
    message = _signed_message(signed_data, archive)
    for number, proof in fields:
        if number != _HEADER_RSA_PROOF:
            continue
        parts = dict(_parse(proof))
        public, signature = parts.get(_PROOF_PUBLIC_KEY, b""), parts.get(_PROOF_SIGNATURE, b"")
        if crx_id(public) != claimed:
            continue  # Chrome too only trusts the proof whose key is the claimed id's
        try:
            key = serialization.load_der_public_key(public)
            if not isinstance(key, rsa.RSAPublicKey):
                raise CrxError("the CRX's key is not an RSA key")
            key.verify(signature, message, padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            raise CrxError("the CRX signature does not match its contents") from None
        except ValueError as exc:
            raise CrxError(f"the CRX's public key cannot be read ({exc})") from exc
        return Crx(extension_id(public), public, archive)
    raise CrxError("the CRX holds no RSA proof by the key its id names")


# --- the protobuf wire format, the little of it CRX3 uses: varints and length-delimited bytes ---


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _field(number: int, value: bytes) -> bytes:
    return _varint(number << 3 | 2) + _varint(len(value)) + value


def _read_varint(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if at >= len(data) or shift > 63:
            raise CrxError("malformed CRX header (a number runs off its end)")
        byte = data[at]
        value |= (byte & 0x7F) << shift
        at, shift = at + 1, shift + 7
        if not byte & 0x80:
            return value, at


def _fields(data: bytes) -> Iterator[tuple[int, bytes]]:
    at = 0
    while at < len(data):
        tag, at = _read_varint(data, at)
        number, wire = tag >> 3, tag & 7
        if wire == 0:
            _, at = _read_varint(data, at)  # a number: no field read here is one
            continue
        if wire != 2:
            raise CrxError(f"malformed CRX header (wire type {wire})")
        size, at = _read_varint(data, at)
        if at + size > len(data):
            raise CrxError("malformed CRX header (a field runs off its end)")
        yield number, data[at : at + size]
        at += size


def _parse(data: bytes) -> list[tuple[int, bytes]]:
    return list(_fields(data))
