"""Builds HostStates from the database plus in-flight decisions."""
import threading
import time

import sqlalchemy as sa
from oslo_log import log as logging

from stratus import conf
from stratus import servicegroup
from stratus.db import api as db_api
from stratus.db import models
from stratus.scheduler import host_state

CONF = conf.CONF
LOG = logging.getLogger(__name__)

COMPUTE_BINARY = 'stratus-compute'
# A decision not seen in the instances table by then is forgotten (the
# conductor failed to record it, or the instance was deleted).
CLAIM_TTL = 120.0


class HostManager:
    def __init__(self):
        self._claims = {}
        self._lock = threading.Lock()

    def get_host_states(self):
        """Fresh HostStates of every compute host that has reported."""
        svc, node, inst = models.Service, models.ComputeNode, models.Instance
        with db_api.reader() as session:
            services = {s.host: servicegroup.service_to_dict(s)
                        for s in session.scalars(sa.select(svc).where(
                            svc.binary == COMPUTE_BINARY, svc.deleted == 0))}
            nodes = [n.to_dict() for n in session.scalars(sa.select(node).where(
                         node.deleted == 0))]
            usage = session.execute(
                sa.select(inst.host, sa.func.sum(inst.vcpus),
                          sa.func.sum(inst.memory_mb),
                          sa.func.sum(inst.root_gb + inst.ephemeral_gb),
                          sa.func.count())
                .where(inst.deleted == 0, inst.host.is_not(None))
                .group_by(inst.host)).all()
            pending = list(self._claims)
            placed = set()
            if pending:
                placed = {u for u, in session.execute(
                    sa.select(inst.uuid).where(
                        inst.uuid.in_(pending),
                        sa.or_(inst.host.is_not(None), inst.deleted != 0)))}
        now = models.utcnow()
        states = {}
        for n in nodes:
            service = services.get(n['host'])
            if service is None:
                continue
            state = host_state.HostState(n['host'], n['hypervisor_hostname'],
                                         service, n)
            state.up = servicegroup.is_up(service, now)
            states[n['host']] = state
        for host, vcpus, memory_mb, disk_gb, count in usage:
            state = states.get(host)
            if state is not None:
                state.vcpus_used += vcpus or 0
                state.memory_mb_used += memory_mb or 0
                state.local_gb_used += disk_gb or 0
                state.num_instances += count
        self._apply_claims(states, placed)
        return list(states.values())

    def _apply_claims(self, states, placed):
        deadline = time.monotonic() - CLAIM_TTL
        with self._lock:
            for instance_uuid, (host, flavor, stamp) in list(
                    self._claims.items()):
                if instance_uuid in placed or stamp < deadline:
                    del self._claims[instance_uuid]
                elif host in states:
                    states[host].consume(flavor, instance_uuid)

    def claim(self, instance_uuid, host, flavor):
        """Remember a decision until the instances table shows it."""
        with self._lock:
            self._claims[instance_uuid] = (host, flavor, time.monotonic())
