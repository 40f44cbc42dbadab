"""Tests of message readers and the fraud classifier."""
