"""The compute_nodes table: one row per hypervisor, written for compute
hosts by the conductor."""
import uuid

import sqlalchemy as sa

from stratus.db import api as db_api
from stratus.db import models

_FIELDS = ('hypervisor_hostname', 'hypervisor_type', 'hypervisor_version',
           'host_ip', 'vcpus', 'memory_mb', 'local_gb', 'vcpus_used',
           'memory_mb_used', 'local_gb_used', 'running_vms', 'cpu_info')


def to_dict(row):
    return row.to_dict()


@db_api.retry_on_unavailable
def update(host, resources):
    """Create or refresh the row of ``host`` from a resources dict."""
    return db_api.group_write(_update, host, resources)


def _update(session, host, resources):
    node = models.ComputeNode
    changes = {f: resources[f] for f in _FIELDS if f in resources}
    changes['updated_at'] = models.utcnow()
    found = node.update_one(session, {'host': host, 'deleted': 0}, changes)
    if found is not None:
        return found
    row = node(uuid=str(uuid.uuid4()), host=host,
               hypervisor_hostname=resources.get('hypervisor_hostname', host),
               hypervisor_type=resources.get('hypervisor_type', ''))
    session.add(row)
    for field, value in changes.items():
        setattr(row, field, value)
    session.flush()
    return to_dict(row)


def get_all():
    node = models.ComputeNode
    with db_api.reader() as session:
        return [to_dict(r) for r in session.scalars(
            sa.select(node).where(node.deleted == 0).order_by(node.id))]
