"""Errors a dashboard page raises to get an error page."""


class PageNotFound(Exception):
    """The dashboard has no such page (or the API has no such thing)."""
