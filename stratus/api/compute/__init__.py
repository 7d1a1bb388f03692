"""The OpenStack Compute API v2.1 (port 8774)."""
