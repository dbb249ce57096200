"""Pieces every feature shares: the store reader, async dialogs, widgets, the stall watchdog, settings, resources."""
