"""Response shaping of the compute API."""
