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

from codaiq_desktop.api import errors, models
from codaiq_desktop.api.client import DEFAULT_BASE_URL, DEFAULT_TIMEOUT, USER_AGENT, CodaiqClient, ProgressCallback
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
