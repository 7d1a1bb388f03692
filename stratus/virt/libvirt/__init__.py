"""The libvirt virt driver: real QEMU/KVM guests on this host."""
