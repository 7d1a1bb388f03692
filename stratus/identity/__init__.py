"""The identity service: users, projects, roles, tokens and the catalog."""
