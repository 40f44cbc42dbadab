"""International exchange: STIX 2.1, MISP and TAXII 2.1, indicator matching, preservation requests."""
