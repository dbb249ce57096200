"""The PySide6 desktop app: main window, tabs, Qt models and the asyncio bridge.

Only this package imports Qt. Start it with :func:`codaiq_desktop.ui.app.run_app`.
"""
