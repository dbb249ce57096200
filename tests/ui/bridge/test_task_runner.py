"""``TaskRunner.run``, the primitive every tab uses to leave the UI thread."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtWidgets import QWidget

from codaiq_desktop.ui.bridge.task_runner import TaskRunner


class Calls:
    """What the callbacks received."""

    def __init__(self) -> None:
        self.results: list[object] = []
        self.errors: list[BaseException] = []
        self.unhandled: list[BaseException] = []


@pytest.fixture
def calls() -> Calls:
    return Calls()


@pytest.fixture
def runner(calls: Calls) -> TaskRunner:
    return TaskRunner(on_unhandled=calls.unhandled.append)


async def _answer(value: int, gate: asyncio.Event | None = None) -> int:
    if gate is not None:
        await gate.wait()
    return value


async def _fail(gate: asyncio.Event | None = None) -> int:
    if gate is not None:
        await gate.wait()
    raise ValueError("the service said no")


def test_success_calls_on_success_with_the_result(qloop, runner: TaskRunner, calls: Calls) -> None:
    task = runner.run(_answer(42), calls.results.append, calls.errors.append)
    assert qloop.run(task) == 42
    qloop.sleep(0)  # done-callbacks run on the next loop turn
    assert calls.results == [42]
    assert calls.errors == [] and calls.unhandled == []
    assert runner.pending == 0


def test_an_exception_goes_to_on_error(qloop, runner: TaskRunner, calls: Calls) -> None:
    task = runner.run(_fail(), calls.results.append, calls.errors.append)
    with pytest.raises(ValueError):
        qloop.run(task)
    qloop.sleep(0)
    assert [str(exc) for exc in calls.errors] == ["the service said no"]
    assert calls.results == [] and calls.unhandled == []


def test_an_exception_without_on_error_is_reported_not_raised(qloop, runner: TaskRunner, calls: Calls) -> None:
    task = runner.run(_fail(), calls.results.append)
    with pytest.raises(ValueError):
        qloop.run(task)
    qloop.sleep(0)
    assert [type(exc) for exc in calls.unhandled] == [ValueError]
    assert calls.results == []


def test_owner_deleted_mid_call_gets_no_callback(qloop, qtbot, runner: TaskRunner, calls: Calls) -> None:
    owner = QWidget()
    gate = asyncio.Event()
    ok = runner.run(_answer(1, gate), calls.results.append, calls.errors.append, owner=owner)
    failing = runner.run(_fail(gate), calls.results.append, calls.errors.append, owner=owner)
    unhandled = runner.run(_fail(gate), owner=owner)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not _alive(owner))
    gate.set()
    qloop.run(asyncio.gather(ok, failing, unhandled, return_exceptions=True))
    qloop.sleep(0)
    assert calls.results == [] and calls.errors == [] and calls.unhandled == []
    assert runner.pending == 0


def test_a_live_owner_still_gets_its_callback(qloop, qtbot, runner: TaskRunner, calls: Calls) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    qloop.run(runner.run(_answer(7), calls.results.append, owner=owner))
    qloop.sleep(0)
    assert calls.results == [7]


def test_a_cancelled_task_calls_nothing(qloop, runner: TaskRunner, calls: Calls) -> None:
    gate = asyncio.Event()
    task = runner.run(_answer(1, gate), calls.results.append, calls.errors.append)
    qloop.sleep(0)  # started and waiting
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        qloop.run(task)
    qloop.sleep(0)
    assert task.cancelled()
    assert calls.results == [] and calls.errors == [] and calls.unhandled == []
    assert runner.pending == 0


def test_cancel_all_ends_every_running_task(qloop, runner: TaskRunner, calls: Calls) -> None:
    gate = asyncio.Event()  # never set: the tasks would wait forever
    tasks = [runner.run(_answer(n, gate), calls.results.append) for n in range(3)]
    qloop.sleep(0)
    assert runner.pending == 3
    qloop.run(runner.cancel_all())
    assert all(task.cancelled() for task in tasks)
    assert runner.pending == 0
    assert calls.results == [] and calls.unhandled == []


def _alive(widget: QWidget) -> bool:
    from shiboken6 import isValid

    return isValid(widget)
