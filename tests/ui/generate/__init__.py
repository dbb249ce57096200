"""Tests of codaiq_desktop.ui.generate."""
