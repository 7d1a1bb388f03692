"""The block storage API: a Cinder v3 subset on its own port."""
