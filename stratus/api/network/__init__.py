"""Network API: a Neutron v2.0 subset on top of the network daemon."""
