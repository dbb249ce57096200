"""Tests of codaiq_desktop.ui.bridge, the parts AppServices is made of."""
