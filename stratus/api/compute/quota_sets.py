"""``/os-quota-sets`` and ``/limits``."""
from stratus import policy
from stratus.api.compute import common
from stratus.api.compute import policies
from stratus.api.schemas import quota_sets as schemas
from stratus.compute import api as compute_api
from stratus.db import quotas

_NETWORK_RESOURCES = ('fixed_ips', 'floating_ips', 'security_groups',
                      'security_group_rules')
_FILE_RESOURCES = ('injected_files', 'injected_file_content_bytes',
                   'injected_file_path_bytes')


def resources(req):
    """The quota resources the request's microversion shows."""
    names = list(quotas.DEFAULTS)
    if common.at_least(req, '2.36'):
        names = [n for n in names if n not in _NETWORK_RESOURCES]
    if common.at_least(req, '2.57'):
        names = [n for n in names if n not in _FILE_RESOURCES]
    return names


class QuotaSetsController:
    def __init__(self, api=None):
        self.compute_api = api or compute_api.API()

    def _target(self, project_id):
        return {'project_id': project_id}

    def show(self, req, project_id):
        policy.authorize(req.context, policies.QUOTAS_SHOW,
                         self._target(project_id))
        limits = self.compute_api.get_quotas(req.context, project_id)
        body = {name: limits[name] for name in resources(req)}
        body['id'] = project_id
        return {'quota_set': body}

    def detail(self, req, project_id):
        policy.authorize(req.context, policies.QUOTAS_DETAIL,
                         self._target(project_id))
        limits = self.compute_api.get_quotas(req.context, project_id)
        usage = self.compute_api.get_quota_usage(req.context, project_id)
        body = {name: {'limit': limits[name], 'in_use': usage.get(name, 0),
                       'reserved': 0} for name in resources(req)}
        body['id'] = project_id
        return {'quota_set': body}

    def defaults(self, req, project_id):
        policy.authorize(req.context, policies.QUOTAS_DEFAULTS)
        body = {name: quotas.DEFAULTS[name] for name in resources(req)}
        body['id'] = project_id
        return {'quota_set': body}

    def update(self, req, project_id):
        policy.authorize(req.context, policies.QUOTAS_UPDATE,
                         self._target(project_id))
        body = req.json()
        common.validate(schemas.update_for(resources(req)), body)
        values = {k: int(v) for k, v in body['quota_set'].items()
                  if k != 'force'}
        limits = self.compute_api.update_quotas(req.context, project_id,
                                                values)
        return {'quota_set': {name: limits[name]
                              for name in resources(req)}}

    def delete(self, req, project_id):
        policy.authorize(req.context, policies.QUOTAS_DELETE,
                         self._target(project_id))
        self.compute_api.reset_quotas(req.context, project_id)
        return 202, None


class LimitsController:
    def __init__(self, api=None):
        self.compute_api = api or compute_api.API()

    def index(self, req):
        ctxt = req.context
        policy.authorize(ctxt, policies.LIMITS)
        project_id = ctxt.project_id
        if req.GET.get('tenant_id') and policy.check_is_admin(ctxt):
            project_id = req.GET['tenant_id']
        limits = self.compute_api.get_quotas(ctxt, project_id)
        usage = self.compute_api.get_quota_usage(ctxt, project_id)
        absolute = {
            'maxServerMeta': limits['metadata_items'],
            'maxTotalInstances': limits['instances'],
            'maxTotalCores': limits['cores'],
            'maxTotalRAMSize': limits['ram'],
            'maxTotalKeypairs': limits['key_pairs'],
            'maxServerGroups': limits['server_groups'],
            'maxServerGroupMembers': limits['server_group_members'],
            'totalInstancesUsed': usage['instances'],
            'totalCoresUsed': usage['cores'],
            'totalRAMUsed': usage['ram'],
            'totalServerGroupsUsed': 0,
        }
        if not common.at_least(req, '2.57'):
            absolute['maxPersonality'] = limits['injected_files']
            absolute['maxPersonalitySize'] = \
                limits['injected_file_content_bytes']
        if not common.at_least(req, '2.36'):
            absolute.update({
                'maxSecurityGroups': limits['security_groups'],
                'maxSecurityGroupRules': limits['security_group_rules'],
                'maxTotalFloatingIps': limits['floating_ips'],
                'totalFloatingIpsUsed': 0,
                'totalSecurityGroupsUsed': 0,
            })
        return {'limits': {'rate': [], 'absolute': absolute}}
