"""Tests of codaiq_desktop.ui.shell."""
