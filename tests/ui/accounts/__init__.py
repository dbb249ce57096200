"""Tests of codaiq_desktop.ui.accounts."""
