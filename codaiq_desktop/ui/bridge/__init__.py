"""The parts ``AppServices`` is made of, one job each.

Each part wraps one Qt-free piece (the asyncio loop, the API client's responses, the
sandbox child process, the webhook secrets, the store and its receiver, the projects
list) and reports through Qt signals; :class:`codaiq_desktop.ui.services.AppServices`
composes them behind the one object every tab is given.
"""
