"""A local, Codaiq-compatible server: the desktop app's default backend and the tests' API.

It implements the public API as documented (same paths, shapes, errors, rate limits and
webhooks), builds real static sites from prompts, records real page views, and adds a few
sandbox-only routes under ``/api/sandbox/`` (keys, webhooks, simulated traffic, faults).
"""

from codaiq_desktop.sandbox.app import create_app
from codaiq_desktop.sandbox.clock import ManualClock
from codaiq_desktop.sandbox.config import SandboxConfig
from codaiq_desktop.sandbox.data_dir_lock import DataDirInUseError
from codaiq_desktop.sandbox.server import SandboxPortInUseError, SandboxServer, SandboxThread

__all__ = [
    "DataDirInUseError",
    "ManualClock",
    "SandboxConfig",
    "SandboxPortInUseError",
    "SandboxServer",
    "SandboxThread",
    "create_app",
]
