"""Timeline parser plugins, one module per format, registered under ``tergeu.parsers``."""
