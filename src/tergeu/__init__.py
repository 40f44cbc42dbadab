"""Tergeu: a workbench for detecting and investigating cyberattacks."""

__version__ = "0.1.0"
