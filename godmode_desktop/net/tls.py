"""TLS for HTTPS and WSS: the system's certificate authorities, plus a studio's own.

A studio that runs the backend with a certificate from its own authority (or a self-signed one)
gives the app and ``godmode watch`` that authority's certificate: ``--ca-file`` or
``GODMODE_CA_FILE``.  Verification is never switched off.
"""

from __future__ import annotations

import os
import ssl

#: Environment variable naming an extra CA certificate file (PEM).
CA_FILE_ENV = "GODMODE_CA_FILE"


def client_tls(ca_file: str | None = None) -> ssl.SSLContext:
    """A verifying client context: the system CAs and ``ca_file`` (default: $GODMODE_CA_FILE)."""
    ca_file = ca_file or os.environ.get(CA_FILE_ENV) or None
    context = ssl.create_default_context()
    if ca_file:
        context.load_verify_locations(cafile=ca_file)
    return context
