"""The Help menu: documentation, keyboard shortcuts, reporting a problem, about."""
