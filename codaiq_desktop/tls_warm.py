"""Imported by the start-up warm-up thread: builds the shared TLS context off the UI thread."""

from codaiq_desktop.tls import ssl_context

ssl_context()
