"""Settings of one sandbox instance."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from codaiq_desktop.sandbox.clock import Clock, system_clock

DEFAULT_WEBHOOK_RETRY_DELAYS: tuple[float, ...] = (10.0, 30.0, 60.0, 120.0)
"""Waits between delivery attempts: five tries over about four minutes, as documented."""


@dataclass(frozen=True)
class SandboxConfig:
    """Everything a sandbox needs to run; all of it has a sensible default but the data dir.

    ``build_seconds`` is the total time a build takes from ``queued`` to ``ready`` (0 makes
    builds finish as soon as the loop gets to them, still passing through every status).
    ``webhook_retry_delays`` are the waits after each failed delivery attempt; its length
    plus one is the number of tries. ``clock`` is read for every timestamp and rate-limit
    window, so tests can move time instead of sleeping.
    """

    data_dir: Path
    host: str = "127.0.0.1"
    port: int = 0
    build_seconds: float = 4.0
    webhook_retry_delays: tuple[float, ...] = DEFAULT_WEBHOOK_RETRY_DELAYS
    webhook_timeout: float = 10.0
    max_body_bytes: int = 1024 * 1024
    max_prompt_chars: int = 4000
    clock: Clock = field(default=system_clock)
    log_level: str = "warning"
    documented_only: bool = False
    """Answer the public API with only the fields the public docs name (see
    ``sandbox.documented``): how the app is tried against a service that promises little."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "data_dir", Path(self.data_dir))
        if self.build_seconds < 0:
            raise ValueError("build_seconds must not be negative")
        if any(delay < 0 for delay in self.webhook_retry_delays):
            raise ValueError("webhook_retry_delays must not be negative")
