"""Timelines from logs and artifacts, clock-tampering detection, Sigma and the digital-trace protocol."""
