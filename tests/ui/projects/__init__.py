"""Tests of codaiq_desktop.ui.projects."""
