"""An attribute of ``AppServices`` that lives on one of its parts.

Tabs read ``services.receiver_state``, ``services.store`` and so on, as they did before
the services were split; each such name is declared once on the facade and read from
(and written to) the part that owns it.
"""

from __future__ import annotations

from typing import Generic, TypeVar, overload

T = TypeVar("T")


class Forwarded(Generic[T]):
    """``receiver_state: Forwarded[str] = Forwarded("inbox")``: ``self.inbox.receiver_state``.

    ``name`` defaults to the attribute's own name on the facade.
    """

    def __init__(self, part: str, name: str | None = None) -> None:
        self._part = part
        self._name = name or ""

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = self._name or name

    @overload
    def __get__(self, obj: None, owner: type) -> Forwarded[T]: ...
    @overload
    def __get__(self, obj: object, owner: type) -> T: ...
    def __get__(self, obj: object | None, owner: type) -> Forwarded[T] | T:
        if obj is None:
            return self
        value: T = getattr(getattr(obj, self._part), self._name)
        return value

    def __set__(self, obj: object, value: T) -> None:
        setattr(getattr(obj, self._part), self._name, value)

    def __repr__(self) -> str:
        return f"Forwarded({self._part!r}, {self._name!r})"
