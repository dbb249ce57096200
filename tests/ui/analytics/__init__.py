"""Tests of codaiq_desktop.ui.analytics."""
