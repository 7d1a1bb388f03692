"""Builds HostStates from the database plus in-flight decisions."""
import datetime
import threading
import time

import sqlalchemy as sa
from oslo_log import log as logging

from stratus import conf
from stratus import servicegroup
from stratus import exception
from stratus import json_codec
from stratus.db import aggregates as aggregates_db
from stratus.db import api as db_api
from stratus.db import models
from stratus.db import server_groups as groups_db
from stratus.scheduler import host_state

CONF = conf.CONF
LOG = logging.getLogger(__name__)

COMPUTE_BINARY = 'stratus-compute'
# A decision not seen in the instances table by then is forgotten (the
# conductor failed to record it, or the instance was deleted).
CLAIM_TTL = 120.0


def _dicts(result):
    keys = list(result.keys())
    return [dict(zip(keys, row)) for row in result]


def _json(raw, decoded):
    """A JSON column read as text, decoded once per distinct value (hosts
    of one kind share their cpu_info); drivers that decode JSON columns
    themselves (psycopg) hand over the value."""
    if not isinstance(raw, str):
        return raw
    value = decoded.get(raw)
    if value is None:
        value = decoded[raw] = json_codec.loads(raw)
    return value


class HostManager:
    def __init__(self):
        self._claims = {}
        self._lock = threading.Lock()

    def get_host_states(self):
        """Fresh HostStates of every compute host that has reported."""
        svc, node, inst = models.Service, models.ComputeNode, models.Instance
        with db_api.reader() as session:
            # Only the columns HostState reads: at 10,000 hosts reading
            # whole rows was most of a request's time in the scheduler.
            services = {s['host']: s for s in _dicts(session.execute(
                sa.select(svc.host, svc.disabled, svc.forced_down,
                          svc.last_seen_up, svc.availability_zone)
                .where(svc.binary == COMPUTE_BINARY, svc.deleted == 0)))}
            nodes = _dicts(session.execute(
                sa.select(node.host, node.hypervisor_hostname, node.vcpus,
                          node.memory_mb, node.local_gb,
                          node.hypervisor_type,
                          sa.type_coerce(node.cpu_info, sa.Text)
                          .label('cpu_info'))
                .where(node.deleted == 0)))
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
            zones = aggregates_db.host_info(session)
        now = models.utcnow()
        down_time = datetime.timedelta(seconds=CONF.service_down_time)
        limits = host_state.ratios()
        states = {}
        decoded = {}
        for n in nodes:
            service = services.get(n['host'])
            if service is None:
                continue
            n['cpu_info'] = _json(n['cpu_info'], decoded)
            state = host_state.HostState(n['host'], n['hypervisor_hostname'],
                                         service, n, limits)
            state.up = servicegroup.is_up(service, now, down_time)
            agg = zones.get(n['host'])
            if agg is not None:
                state.aggregates = agg['aggregates']
                state.aggregate_metadata = agg['metadata']
                state.availability_zone = agg['zone'] or \
                    state.availability_zone
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

    def prepare_spec(self, spec):
        """Load what the request's hints need from the database, so that
        filters stay free of DB calls.

        Sets ``spec['group']`` (``policy``, ``rules``, ``members`` and
        ``hosts``: {host: members there}, counting this scheduler's
        in-flight decisions) for a ``group`` hint, and
        ``spec['same_host_hosts']`` / ``spec['different_host_hosts']`` for
        the ``same_host`` / ``different_host`` hints.

        :raises: NoValidHost when the hinted group no longer exists.
        """
        hints = spec.get('scheduler_hints') or {}
        group_uuid = hints.get('group')
        if isinstance(group_uuid, list):
            group_uuid = group_uuid[0] if group_uuid else None
        if group_uuid:
            try:
                group = groups_db.placement_of(group_uuid)
            except exception.InstanceGroupNotFound:
                raise exception.NoValidHost(
                    reason='Server group %s was deleted.' % group_uuid)
            hosts = self._hosts_of(group['members'])
            counts = {}
            for host in hosts.values():
                counts[host] = counts.get(host, 0) + 1
            group['hosts'] = counts
            spec['group'] = group
        for hint in ('same_host', 'different_host'):
            uuids = hints.get(hint)
            if uuids:
                if isinstance(uuids, str):
                    uuids = [uuids]
                spec[hint + '_hosts'] = sorted(
                    set(self._hosts_of(uuids).values()))

    def _hosts_of(self, instance_uuids):
        """{instance uuid: host} from the table, else from this
        scheduler's in-flight decisions."""
        inst = models.Instance
        found = {}
        if not instance_uuids:
            return found
        with db_api.reader() as session:
            for inst_uuid, host in session.execute(
                    sa.select(inst.uuid, inst.host).where(
                        inst.uuid.in_(list(instance_uuids)),
                        inst.deleted == 0)):
                if host:
                    found[inst_uuid] = host
        with self._lock:
            for inst_uuid in instance_uuids:
                claim = self._claims.get(inst_uuid)
                if inst_uuid not in found and claim is not None:
                    found[inst_uuid] = claim[0]
        return found
