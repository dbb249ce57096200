"""Async client of the Codaiq REST API (no Qt).

```python
from codaiq_desktop.api import CodaiqClient, RetryPolicy, errors, models

async with CodaiqClient("https://codaiq.com/api", api_key) as client:
    result = await client.generate("A landing page for a bakery", name="Bakery")
    async for update in client.wait_for_build(result.project_id, result.website_id):
        print(update.status, update.progress)
```
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from codaiq_desktop.api import errors, models
from codaiq_desktop.api.credentials import ApiKey
from codaiq_desktop.api.errors import (
    AuthenticationError,
    BuildTimeoutError,
    CodaiqError,
    ConflictError,
    InvalidResponseError,
    NetworkError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    ValidationError,
)
from codaiq_desktop.api.models import (
    Analytics,
    BuildStatus,
    BuildUpdate,
    GenerateResult,
    LeadReceipt,
    Project,
    RateLimitInfo,
    Website,
)
from codaiq_desktop.api.retry import RetryPolicy

if TYPE_CHECKING:
    from codaiq_desktop.api.client import DEFAULT_BASE_URL, DEFAULT_TIMEOUT, USER_AGENT, CodaiqClient, ProgressCallback

_FROM_CLIENT = frozenset({"DEFAULT_BASE_URL", "DEFAULT_TIMEOUT", "USER_AGENT", "CodaiqClient", "ProgressCallback"})


def __getattr__(name: str) -> Any:
    """The client's names, imported on first use: the models and errors need no HTTP stack.

    The desktop's window shows its models (a rate limit in the status bar) before it talks to
    the service; importing httpx with them cost its start-up a fifth of a second.
    """
    if name in _FROM_CLIENT:
        from codaiq_desktop.api import client

        return getattr(client, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_TIMEOUT",
    "USER_AGENT",
    "Analytics",
    "ApiKey",
    "AuthenticationError",
    "BuildStatus",
    "BuildTimeoutError",
    "BuildUpdate",
    "CodaiqClient",
    "CodaiqError",
    "ConflictError",
    "GenerateResult",
    "InvalidResponseError",
    "LeadReceipt",
    "NetworkError",
    "NotFoundError",
    "PermissionDeniedError",
    "ProgressCallback",
    "Project",
    "RateLimitError",
    "RateLimitInfo",
    "RetryPolicy",
    "ServerError",
    "ValidationError",
    "Website",
    "errors",
    "models",
]
