"""Faults on purpose: latency, errors, dropped connections and 429s on chosen routes.

A rule matches a request path exactly, or by prefix when it ends in ``*``, and
optionally one method. ``count`` limits how many requests it hits (then it is spent and
removed); ``probability`` makes it hit only some. The fault routes themselves are never
faulted, so a rule can always be cleared.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any, Literal

FaultKind = Literal["latency", "error", "drop", "rate_limit"]
FAULT_KINDS: tuple[str, ...] = ("latency", "error", "drop", "rate_limit")


@dataclass
class FaultRule:
    """One fault to inject; see the module docstring for matching."""

    path: str
    kind: FaultKind
    method: str | None = None
    status: int = 500
    delay: float = 2.0
    retry_after: int = 3
    count: int | None = None
    probability: float = 1.0
    hits: int = field(default=0, compare=False)

    def matches(self, method: str, path: str) -> bool:
        if self.method is not None and self.method.upper() != method:
            return False
        if self.path.endswith("*"):
            return path.startswith(self.path[:-1])
        return path == self.path or path == self.path.rstrip("/")

    @property
    def spent(self) -> bool:
        return self.count is not None and self.hits >= self.count

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "method": self.method,
            "kind": self.kind,
            "status": self.status,
            "delay": self.delay,
            "retryAfter": self.retry_after,
            "count": self.count,
            "probability": self.probability,
            "hits": self.hits,
        }


class FaultSwitch:
    """The active rules; the first matching rule that fires wins."""

    def __init__(self, rng: random.Random | None = None) -> None:
        self._rules: list[FaultRule] = []
        self._rng = rng or random.Random()

    @property
    def rules(self) -> list[FaultRule]:
        return list(self._rules)

    def replace(self, rules: list[FaultRule]) -> None:
        self._rules = list(rules)

    def clear(self) -> None:
        self._rules = []

    def pick(self, method: str, path: str) -> FaultRule | None:
        """The rule to apply to this request, counting the hit; ``None`` for none."""
        if not self._rules:
            return None
        for rule in self._rules:
            if rule.spent or not rule.matches(method, path):
                continue
            if rule.probability < 1.0 and self._rng.random() >= rule.probability:
                continue
            rule.hits += 1
            if rule.spent:
                self._rules.remove(rule)
            return rule
        return None
