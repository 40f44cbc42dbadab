"""Documents about a case that leave the building: the case report."""
