"""Client side of the compute daemon (topic ``compute``, server = host).

History:
    1.0 - build, terminate, reboot, stop, start, console output.
    1.1 - attach_volume, detach_volume.
    1.2 - build_and_run_instance takes the instance row.
    1.3 - refresh_firewall (fanout).
"""
from stratus import rpc

TOPIC = 'compute'


class ComputeAPI:
    def __init__(self):
        self.client = rpc.get_client(TOPIC, version='1.0')

    def _on(self, host, version=None):
        if version:
            return self.client.prepare(server=host, version=version)
        return self.client.prepare(server=host)

    def build_and_run_instance(self, ctxt, host, instance_uuid, request_spec,
                               filter_properties, instance=None):
        """:param instance: the row as the conductor left it (task_state
            networking, host set), so the host needs no first round trip."""
        self._on(host, '1.2').cast(ctxt, 'build_and_run_instance',
                                   instance_uuid=instance_uuid,
                                   request_spec=request_spec,
                                   filter_properties=filter_properties,
                                   instance=instance)

    def terminate_instance(self, ctxt, host, instance_uuid):
        self._on(host).cast(ctxt, 'terminate_instance',
                            instance_uuid=instance_uuid)

    def reboot_instance(self, ctxt, host, instance_uuid, reboot_type):
        self._on(host).cast(ctxt, 'reboot_instance',
                            instance_uuid=instance_uuid,
                            reboot_type=reboot_type)

    def stop_instance(self, ctxt, host, instance_uuid):
        self._on(host).cast(ctxt, 'stop_instance',
                            instance_uuid=instance_uuid)

    def start_instance(self, ctxt, host, instance_uuid):
        self._on(host).cast(ctxt, 'start_instance',
                            instance_uuid=instance_uuid)

    def get_console_output(self, ctxt, host, instance_uuid, length=None):
        """:returns: the console log text (last ``length`` lines)."""
        return self._on(host).call(ctxt, 'get_console_output',
                                   instance_uuid=instance_uuid,
                                   length=length)

    def attach_volume(self, ctxt, host, instance_uuid, volume_id,
                      volume_host, attachment):
        """Attach a reserved volume to a guest (call).

        :param attachment: the reserved attachment (``uuid``,
            ``mountpoint``).
        :returns: the recorded attachment.
        """
        return self.client.prepare(server=host, version='1.1').call(
            ctxt, 'attach_volume', instance_uuid=instance_uuid,
            volume_id=volume_id, volume_host=volume_host,
            attachment=attachment)

    def detach_volume(self, ctxt, host, instance_uuid, volume_id,
                      volume_host, attachment):
        """Detach a volume from a guest (call)."""
        return self.client.prepare(server=host, version='1.1').call(
            ctxt, 'detach_volume', instance_uuid=instance_uuid,
            volume_id=volume_id, volume_host=volume_host,
            attachment=attachment)

    def refresh_firewall(self, ctxt):
        """Every compute host re-applies its guests' security group rules
        (fanout cast: a rule or a group's membership changed)."""
        self.client.prepare(fanout=True, version='1.3').cast(
            ctxt, 'refresh_firewall')
