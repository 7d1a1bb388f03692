"""The web dashboard: server-rendered pages over the project's own APIs.

Served by the api daemon on ``[api] dashboard_port`` under ``/dashboard``.
"""
