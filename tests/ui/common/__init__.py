"""Tests of codaiq_desktop.ui.common."""
