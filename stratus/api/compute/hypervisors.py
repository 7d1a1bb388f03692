"""``/os-hypervisors``: list, detail, show, statistics (and the pre-2.53
search and servers forms). Ids are compute node ids before 2.53 and
uuids from 2.53 on; state and status come from the compute service."""
import json

import webob.exc

from stratus import exception
from stratus import policy
from stratus import servicegroup
from stratus.api.compute import admin_policies as policies
from stratus.api.compute import common
from stratus.db import compute_nodes as nodes_db
from stratus.db import instances as instances_db
from stratus.db import services as services_db

COMPUTE_BINARY = 'stratus-compute'


def _nodes_with_services():
    services = {s['host']: s for s in
                services_db.get_all(binary=COMPUTE_BINARY)}
    return [(n, services[n['host']]) for n in nodes_db.get_all()
            if n['host'] in services]


def _id(req, node):
    return node['uuid'] if common.at_least(req, '2.53') else node['id']


def _view(req, node, svc, detail, servers=None):
    body = {'id': _id(req, node),
            'hypervisor_hostname': node['hypervisor_hostname'],
            'state': 'up' if servicegroup.is_up(svc) else 'down',
            'status': 'disabled' if svc['disabled'] else 'enabled'}
    if detail:
        cpu_info = node['cpu_info'] or {}
        free_disk = node['local_gb'] - node['local_gb_used']
        body.update({
            'vcpus': node['vcpus'], 'memory_mb': node['memory_mb'],
            'local_gb': node['local_gb'], 'vcpus_used': node['vcpus_used'],
            'memory_mb_used': node['memory_mb_used'],
            'local_gb_used': node['local_gb_used'],
            'hypervisor_type': node['hypervisor_type'],
            'hypervisor_version': node['hypervisor_version'],
            'free_ram_mb': node['memory_mb'] - node['memory_mb_used'],
            'free_disk_gb': free_disk, 'current_workload': 0,
            'running_vms': node['running_vms'],
            'disk_available_least': free_disk,
            'host_ip': node['host_ip'],
            'cpu_info': cpu_info if common.at_least(req, '2.28') else
            json.dumps(cpu_info),
            'service': {'host': svc['host'],
                        'id': svc['uuid'] if common.at_least(req, '2.53')
                        else svc['id'],
                        'disabled_reason': svc['disabled_reason']},
        })
    if servers is not None:
        body['servers'] = [{'name': i['display_name'], 'uuid': i['uuid']}
                           for i in servers]
    return body


def _servers(host):
    return instances_db.get_all(host=host)


class HypervisorsController:
    def _list(self, req, detail):
        pairs = _nodes_with_services()
        with_servers = False
        if common.at_least(req, '2.53'):
            pattern = req.GET.get('hypervisor_hostname_pattern')
            if pattern:
                pairs = [(n, s) for n, s in pairs
                         if pattern in n['hypervisor_hostname']]
                if not pairs:
                    raise exception.HypervisorNotFound(hypervisor=pattern)
            with_servers = req.GET.get('with_servers', '').lower() in (
                'true', '1', 'yes', 'on')
        limit = marker = None
        if common.at_least(req, '2.33'):
            limit, marker = common.get_limit_marker(req)
        if marker is not None:
            ids = [str(_id(req, n)) for n, _s in pairs]
            if marker not in ids:
                raise exception.Invalid(reason='marker [%s] not found' %
                                        marker)
            pairs = pairs[ids.index(marker) + 1:]
        if limit is not None:
            pairs = pairs[:limit]
        items = [_view(req, n, s, detail,
                       _servers(n['host']) if with_servers else None)
                 for n, s in pairs]
        body = {'hypervisors': items}
        if limit is not None:
            links = common.next_link(
                req, 'os-hypervisors/detail' if detail else 'os-hypervisors',
                items, limit)
            if links:
                body['hypervisors_links'] = links
        return body

    def index(self, req):
        policy.authorize(req.context, policies.HYPERVISORS_LIST)
        return self._list(req, detail=False)

    def detail(self, req):
        policy.authorize(req.context, policies.HYPERVISORS_DETAIL)
        return self._list(req, detail=True)

    def _find(self, req, id):
        for node, svc in _nodes_with_services():
            if str(_id(req, node)) == str(id):
                return node, svc
        raise exception.HypervisorNotFound(hypervisor=id)

    def show(self, req, id):
        policy.authorize(req.context, policies.HYPERVISORS_SHOW)
        node, svc = self._find(req, id)
        with_servers = common.at_least(req, '2.53') and \
            req.GET.get('with_servers', '').lower() in ('true', '1', 'yes')
        return {'hypervisor': _view(
            req, node, svc, True,
            _servers(node['host']) if with_servers else None)}

    def uptime(self, req, id):
        policy.authorize(req.context, policies.HYPERVISORS_UPTIME)
        self._find(req, id)
        raise webob.exc.HTTPNotImplemented(
            explanation='Virt driver does not implement uptime function.')

    def statistics(self, req):
        policy.authorize(req.context, policies.HYPERVISORS_STATISTICS)
        stats = dict.fromkeys(
            ('count', 'vcpus', 'memory_mb', 'local_gb', 'vcpus_used',
             'memory_mb_used', 'local_gb_used', 'free_ram_mb',
             'free_disk_gb', 'current_workload', 'running_vms',
             'disk_available_least'), 0)
        for node, _svc in _nodes_with_services():
            stats['count'] += 1
            for key in ('vcpus', 'memory_mb', 'local_gb', 'vcpus_used',
                        'memory_mb_used', 'local_gb_used', 'running_vms'):
                stats[key] += node[key] or 0
            stats['free_ram_mb'] += node['memory_mb'] - node['memory_mb_used']
            free_disk = node['local_gb'] - node['local_gb_used']
            stats['free_disk_gb'] += free_disk
            stats['disk_available_least'] += free_disk
        return {'hypervisor_statistics': stats}

    def search(self, req, pattern):
        policy.authorize(req.context, policies.HYPERVISORS_SEARCH)
        if common.at_least(req, '2.53'):
            raise exception.NotFound('The resource could not be found.')
        found = [(n, s) for n, s in _nodes_with_services()
                 if pattern in n['hypervisor_hostname']]
        if not found:
            raise exception.HypervisorNotFound(hypervisor=pattern)
        return {'hypervisors': [_view(req, n, s, False) for n, s in found]}

    def servers(self, req, pattern):
        policy.authorize(req.context, policies.HYPERVISORS_SERVERS)
        if common.at_least(req, '2.53'):
            raise exception.NotFound('The resource could not be found.')
        found = [(n, s) for n, s in _nodes_with_services()
                 if pattern in n['hypervisor_hostname']]
        if not found:
            raise exception.HypervisorNotFound(hypervisor=pattern)
        return {'hypervisors': [_view(req, n, s, False, _servers(n['host']))
                                for n, s in found]}
