"""Volume backends behind one interface (``base.VolumeDriver``)."""


def load(name):
    """The driver named by ``[volume] driver``."""
    if name == 'file':
        from stratus.volume.drivers import file as file_driver
        return file_driver.FileDriver()
    if name == 'lvm':
        from stratus.volume.drivers import lvm
        return lvm.LVMDriver()
    raise ValueError('Unknown volume driver %r' % name)
