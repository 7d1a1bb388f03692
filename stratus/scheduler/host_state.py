"""What the scheduler knows about one compute host."""
from stratus import conf

CONF = conf.CONF


class HostState:
    """Capacity, usage and placement facts of one compute host.

    Usage counts every instance placed on the host plus the scheduler's
    own in-flight decisions, so two requests in a row never both take the
    last slot (compute re-checks with a claim anyway).
    """

    def __init__(self, host, nodename=None, service=None, node=None):
        self.host = host
        self.nodename = nodename or host
        self.service = service or {}
        node = node or {}
        self.up = False
        self.enabled = not self.service.get('disabled', False)
        self.availability_zone = (self.service.get('availability_zone') or
                                  CONF.default_availability_zone)
        self.aggregates = []
        self.vcpus_total = node.get('vcpus', 0)
        self.memory_mb_total = node.get('memory_mb', 0)
        self.local_gb_total = node.get('local_gb', 0)
        self.hypervisor_type = node.get('hypervisor_type')
        self.cpu_info = node.get('cpu_info') or {}
        self.vcpus_used = 0
        self.memory_mb_used = 0
        self.local_gb_used = 0
        self.num_instances = 0
        self.instance_uuids = set()
        self.project_ids = set()

    @property
    def free_ram_mb(self):
        limit = self.memory_mb_total * CONF.scheduler.ram_allocation_ratio
        return limit - CONF.scheduler.reserved_host_memory_mb - \
            self.memory_mb_used

    @property
    def free_vcpus(self):
        return self.vcpus_total * CONF.scheduler.cpu_allocation_ratio - \
            self.vcpus_used

    @property
    def free_disk_gb(self):
        return self.local_gb_total * CONF.scheduler.disk_allocation_ratio - \
            self.local_gb_used

    def add_instance(self, vcpus, memory_mb, disk_gb, instance_uuid=None,
                     project_id=None):
        self.vcpus_used += vcpus
        self.memory_mb_used += memory_mb
        self.local_gb_used += disk_gb
        self.num_instances += 1
        if instance_uuid:
            self.instance_uuids.add(instance_uuid)
        if project_id:
            self.project_ids.add(project_id)

    def consume(self, flavor, instance_uuid=None, project_id=None):
        """Account for an instance the scheduler just placed here."""
        self.add_instance(flavor['vcpus'], flavor['memory_mb'],
                          flavor.get('root_gb', 0) +
                          flavor.get('ephemeral_gb', 0),
                          instance_uuid, project_id)

    def __repr__(self):
        return '<HostState %s: %d/%d vCPUs, %d/%d MiB, %d/%d GB>' % (
            self.host, self.vcpus_used, self.vcpus_total,
            self.memory_mb_used, self.memory_mb_total, self.local_gb_used,
            self.local_gb_total)
