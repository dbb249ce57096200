"""The public API's answers cut down to what the public docs name (documented-only mode).

The sandbox normally answers with this project's richer shapes (ids, build progress,
projects, unique visitors...). In documented-only mode every public answer keeps only the
fields ``docs/reference`` promises, so the app can be tried against a service that sends
nothing more:

- ``POST /api/generate``: ``projectId``, ``websiteId``, ``status``;
- ``GET /api/project`` (with or without ``projectId``): ``{"websites": [...]}``, each website
  only ``name``, ``domain`` and ``metadata`` with ``buildStatus`` and the metadata a user
  can set (no ids, no progress, no build step, error or publication time);
- ``GET /api/analytics``: ``totalPageviews``;
- ``POST /api/leads/submit`` and ``PATCH /api/project``: ``{}``.

Errors, webhooks and the ZIP export are unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from codaiq_desktop.sandbox.validation import BUILD_KEYS

SANDBOX_METADATA_KEYS = frozenset({"siteKind"})
"""Metadata the sandbox's builder adds for itself; no user set it and the docs do not name it."""


def documented_metadata(metadata: dict[str, Any]) -> dict[str, Any]:
    """``buildStatus`` and the metadata a user can set; nothing the build adds for itself."""
    kept = {
        key: value
        for key, value in metadata.items()
        if key not in BUILD_KEYS and key not in SANDBOX_METADATA_KEYS and value is not None
    }
    return {"buildStatus": metadata.get("buildStatus"), **kept}


def documented_website(website: dict[str, Any]) -> dict[str, Any]:
    """A website as the docs describe one: its name, domain and metadata."""
    return {
        "name": website.get("name"),
        "domain": website.get("domain"),
        "metadata": documented_metadata(dict(website.get("metadata") or {})),
    }


def documented_websites(websites: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The documented answer of ``GET /api/project``: ``{"websites": [...]}``."""
    return {"websites": [documented_website(website) for website in websites]}


def documented_analytics(report: dict[str, Any]) -> dict[str, Any]:
    """The one field the docs name for analytics."""
    return {"totalPageviews": report["totalPageviews"]}
