"""How long an idle HTTP connection is kept, on each side: the client always gives up first.

When both sides keep an idle connection for the same time (httpx's and uvicorn's defaults are
both 5 s), a client can send its next request on a connection in the very moment the server
closes it, and the request fails with a read error although nothing is wrong (seen: a simulated
week's post failing half-way on a loaded machine).  The server keeps idle connections
:data:`SERVER_SECONDS`; the project's clients drop theirs after :data:`CLIENT_SECONDS`, well
before, and open a new one instead.
"""

from __future__ import annotations

#: uvicorn's ``timeout_keep_alive`` for the server.
SERVER_SECONDS = 5
#: httpx's ``keepalive_expiry`` for the project's clients of its own server.
CLIENT_SECONDS = 2.0
