"""TLS for HTTPS and WSS: the operating system's certificate authorities, plus a studio's own.

The system's trust store is the one the OS keeps (truststore: the Windows and macOS stores
themselves, OpenSSL's configured locations on Linux, ``SSL_CERT_FILE``/``SSL_CERT_DIR``
included), so a studio CA that IT installed on the machine is trusted as browsers trust it.
A studio that runs the backend with a certificate from its own authority (or a self-signed one)
can instead give the app that authority's certificate: in Settings, or with ``--ca-file`` /
``GODMODE_CA_FILE``.  Verification is never switched off.
"""

from __future__ import annotations

import os
import ssl

import truststore

#: Environment variable naming an extra CA certificate file (PEM).
CA_FILE_ENV = "GODMODE_CA_FILE"


class BadCaFile(ValueError):
    """A CA file that cannot be used: the message says why."""


def client_tls(ca_file: str | None = None) -> ssl.SSLContext:
    """A verifying client context: the system's CAs and ``ca_file`` (default: $GODMODE_CA_FILE).

    Raises :class:`BadCaFile` when ``ca_file`` is missing or holds no certificate."""
    ca_file = ca_file or os.environ.get(CA_FILE_ENV) or None
    context = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    if ca_file:
        try:
            context.load_verify_locations(cafile=ca_file)
        except (OSError, ssl.SSLError) as exc:
            raise BadCaFile(f"{ca_file}: not a readable PEM certificate ({exc})") from exc
    return context
