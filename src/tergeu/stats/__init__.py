"""Cybercrime statistics: the article's ERDR figures and survey, the case database, imported CSVs."""
