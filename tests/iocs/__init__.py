"""Tests of identifier extraction, validation, tracing and linking."""
