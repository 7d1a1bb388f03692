"""Client side of the volume daemon (topic ``volume``, server = host).

History:
    1.0 - ping.
    1.1 - create/delete/extend (casts to a host), initialize/terminate
          connection, attachment bookkeeping, get_attachments.
    1.2 - create_volume_for_instance, get_volume, reserve_volume (the
          block devices of a boot, called by compute).
"""
from stratus import rpc

TOPIC = 'volume'


class VolumeAPI:
    def __init__(self):
        self.client = rpc.get_client(TOPIC, version='1.2')

    def _on(self, host):
        return self.client.prepare(server=host, version='1.1')

    def ping(self, ctxt):
        return self.client.call(ctxt, 'ping')

    def create_volume(self, ctxt, host, volume_id, request_spec=None):
        """Make the volume on ``host`` (cast; the status tells)."""
        self._on(host).cast(ctxt, 'create_volume', volume_id=volume_id,
                            request_spec=request_spec)

    def delete_volume(self, ctxt, host, volume_id):
        self._on(host).cast(ctxt, 'delete_volume', volume_id=volume_id)

    def extend_volume(self, ctxt, host, volume_id, new_size):
        self._on(host).cast(ctxt, 'extend_volume', volume_id=volume_id,
                            new_size=new_size)

    def initialize_connection(self, ctxt, host, volume_id, connector):
        """:returns: connection_info (call). :raises: VolumeNotFound,
        VolumeBackendError."""
        return self._on(host).call(ctxt, 'initialize_connection',
                                   volume_id=volume_id, connector=connector)

    def terminate_connection(self, ctxt, host, volume_id, connector):
        return self._on(host).call(ctxt, 'terminate_connection',
                                   volume_id=volume_id, connector=connector)

    def attach_volume(self, ctxt, attachment_id, connection_info, host):
        """Record a finished attach (call, any volume host)."""
        return self.client.prepare(version='1.1').call(
            ctxt, 'attach_volume', attachment_id=attachment_id,
            connection_info=connection_info, host=host)

    def detach_volume(self, ctxt, attachment_id, rollback=False):
        """Drop an attachment; the volume is available again (call)."""
        return self.client.prepare(version='1.1').call(
            ctxt, 'detach_volume', attachment_id=attachment_id,
            rollback=rollback)

    def get_attachments(self, ctxt, instance_uuid):
        return self.client.prepare(version='1.1').call(
            ctxt, 'get_attachments', instance_uuid=instance_uuid)

    # 1.2: a boot's block devices (calls to any volume host).
    def _any(self):
        return self.client.prepare(version='1.2')

    def create_volume_for_instance(self, ctxt, size, availability_zone,
                                   name=None, image=None):
        """:returns: the new volume (``creating``; placed by the
        scheduler)."""
        return self._any().call(ctxt, 'create_volume_for_instance',
                                size=size,
                                availability_zone=availability_zone,
                                name=name, image=image)

    def get_volume(self, ctxt, volume_id):
        """:raises: VolumeNotFound."""
        return self._any().call(ctxt, 'get_volume', volume_id=volume_id)

    def reserve_volume(self, ctxt, volume_id, instance_uuid, mountpoint,
                       delete_on_termination=False):
        """:returns: the attachment. :raises: VolumeNotFound,
        VolumeInvalidState (not available), Invalid."""
        return self._any().call(
            ctxt, 'reserve_volume', volume_id=volume_id,
            instance_uuid=instance_uuid, mountpoint=mountpoint,
            delete_on_termination=delete_on_termination)
