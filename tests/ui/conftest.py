"""UI tests use the app fixtures of ``tests/fixtures/app.py`` (``services``,
``services_key``, ``until``, ``main_window``) and ``memory_keyring`` from
``tests/fixtures/keyring.py``; both are plugins loaded by tests/conftest.py.
Tabs are built as in the app: ``XxxTab(services)``; add them with ``qtbot.addWidget``.
"""

from tests.fixtures.app import make_services

__all__ = ["make_services"]
