"""The backups pages, one module per sub-domain (urls.py names each view)."""
