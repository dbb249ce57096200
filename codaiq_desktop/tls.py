"""One TLS context for every HTTP client of the app.

httpx builds a new SSL context (loading the whole CA bundle) for each client it creates,
whether or not the client ever speaks TLS: about 100 ms of CPU on a small machine. The
app creates clients on the Qt event loop (switching accounts, the sandbox's own calls, a
team server's stream), so each one froze the window for that long. Built once (the
start-up warm-up builds it off the UI thread), it is shared; an ``SSLContext`` may serve
any number of connections.
"""

from __future__ import annotations

import functools
import ssl

import httpx


@functools.cache
def ssl_context() -> ssl.SSLContext:
    """The context httpx would build by default (system settings such as ``SSL_CERT_FILE`` honoured)."""
    return httpx.create_ssl_context()
