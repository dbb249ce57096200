"""Codaiq Desktop: a workbench for building client websites with the Codaiq API."""

__version__ = "0.1.0"
