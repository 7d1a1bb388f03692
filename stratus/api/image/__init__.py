"""Image API: a Glance v2 subset with a file store, on ``[api] image_port``."""
