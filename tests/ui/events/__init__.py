"""Tests of codaiq_desktop.ui.events."""
