"""Date formats the portal uses instead of Django's own per language (FORMAT_MODULE_PATH)."""
