"""Web application: the victims' statement portal and the investigators' workspace (kk/ru/en)."""
