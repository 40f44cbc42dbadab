"""Identifiers (IOCs): extraction with validators, masking, offline tracing and cross-case linking."""
