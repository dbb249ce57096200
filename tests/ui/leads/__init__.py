"""Tests of codaiq_desktop.ui.leads."""
