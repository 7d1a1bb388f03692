"""What the scheduler knows about one compute host."""
from stratus import conf

CONF = conf.CONF


def ratios():
    """The allocation ratios, reservations and default zone, read once
    per decision (an option lookup costs about a microsecond: too much per
    host)."""
    sched = CONF.scheduler
    return {'cpu_allocation_ratio': sched.cpu_allocation_ratio,
            'ram_allocation_ratio': sched.ram_allocation_ratio,
            'disk_allocation_ratio': sched.disk_allocation_ratio,
            'reserved_host_memory_mb': sched.reserved_host_memory_mb,
            'reserved_host_disk_gb': sched.reserved_host_disk_mb / 1024.0,
            'default_availability_zone': CONF.default_availability_zone}


class HostState:
    """Capacity, usage and placement facts of one compute host.

    Usage counts every instance placed on the host plus the scheduler's
    own in-flight decisions, so two requests in a row never both take the
    last slot (compute re-checks with a claim anyway).

    ``availability_zone`` is the zone of the aggregate that names one, else
    the service's, else ``[DEFAULT] default_availability_zone`` (the host
    manager sets the aggregate's).
    """

    def __init__(self, host, nodename=None, service=None, node=None,
                 limits=None):
        self.host = host
        self.nodename = nodename or host
        self.service = service or {}
        node = node or {}
        limits = limits or ratios()
        self.up = False
        self.enabled = not self.service.get('disabled', False)
        self.availability_zone = (self.service.get('availability_zone') or
                                  limits['default_availability_zone'])
        self.aggregates = []
        self.aggregate_metadata = {}
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
        self.cpu_allocation_ratio = limits['cpu_allocation_ratio']
        self.ram_allocation_ratio = limits['ram_allocation_ratio']
        self.disk_allocation_ratio = limits['disk_allocation_ratio']
        self.reserved_host_memory_mb = limits['reserved_host_memory_mb']
        self.reserved_host_disk_gb = limits['reserved_host_disk_gb']

    @property
    def free_ram_mb(self):
        return self.memory_mb_total * self.ram_allocation_ratio - \
            self.reserved_host_memory_mb - self.memory_mb_used

    @property
    def free_vcpus(self):
        return self.vcpus_total * self.cpu_allocation_ratio - self.vcpus_used

    @property
    def free_disk_gb(self):
        return self.local_gb_total * self.disk_allocation_ratio - \
            self.reserved_host_disk_gb - self.local_gb_used

    @property
    def arch(self):
        return self.cpu_info.get('arch')

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
