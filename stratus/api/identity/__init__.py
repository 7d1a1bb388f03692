"""Identity API: a Keystone v3 subset, served on ``[api] identity_port``."""
