"""Web service (not built yet: a later issue)."""
