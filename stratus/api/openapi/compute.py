"""The compute API (OpenStack compute v2.1 subset) as OpenAPI."""
from stratus.api.compute import aggregates
from stratus.api.compute import server_groups
from stratus.api.compute import services
from stratus.api.openapi import common
from stratus.api.schemas import flavors
from stratus.api.schemas import keypairs
from stratus.api.schemas import quota_sets
from stratus.api.schemas import servers
from stratus.api.volume import schemas as volume_schemas

Op = common.Operation
P = '/v2.1'
_obj, _list = common.wrapped, (lambda key: common.wrapped(key, 'array'))
_any = {'type': 'object'}
_CONSOLE = {'type': 'object', 'required': ['output'],
            'properties': {'output': {'type': 'string'}}}

_SERVER_FILTERS = [
    common.LIMIT, common.MARKER,
    common.query('all_tenants', description='Admin: every project.'),
    common.query('project_id'), common.query('status'),
    common.query('name', description='A regular expression.'),
    common.query('image'), common.query('flavor'),
    common.query('ip', description='A regular expression.'),
    common.query('host'), common.query('reservation_id'),
]
_FLAVOR_FILTERS = [common.LIMIT, common.MARKER, common.query('is_public'),
                   common.query('minRam', {'type': 'integer'}),
                   common.query('minDisk', {'type': 'integer'})]
_HYPERVISOR_FILTERS = [common.LIMIT, common.MARKER,
                       common.query('hypervisor_hostname_pattern'),
                       common.query('with_servers')]


def _aggregate_action():
    # The controller builds the add/remove_host schemas from one helper.
    return common.any_of(aggregates._host_action('add_host'),
                         aggregates._host_action('remove_host'),
                         aggregates.SET_METADATA)


def operations():
    server_action = common.any_of(servers.reboot, servers.stop,
                                  servers.start, servers.console_output)
    return [
        common.DESCRIPTION,
        Op('GET', '/', 'The API versions.', result=_list('versions'),
           public=True),
        Op('GET', P, 'Version 2.1.', result=_obj('version'), public=True),
        Op('GET', P + '/', 'Version 2.1.', result=_obj('version'),
           public=True),
        # servers
        Op('GET', P + '/servers', 'List servers.', result=_list('servers'),
           params=_SERVER_FILTERS),
        Op('POST', P + '/servers', 'Create (boot) servers.', ok=202,
           result=_any, body=servers.create),
        Op('GET', P + '/servers/detail', 'List servers with details.',
           result=_list('servers'), params=_SERVER_FILTERS),
        Op('GET', P + '/servers/{id}', 'Show a server.',
           result=_obj('server')),
        Op('PUT', P + '/servers/{id}', 'Update a server.',
           result=_obj('server'), body=servers.update),
        Op('DELETE', P + '/servers/{id}', 'Delete a server.', ok=204),
        Op('POST', P + '/servers/{id}/action',
           'reboot, os-stop, os-start or os-getConsoleOutput.',
           ok=(200, 202), empty=(202,), result=_CONSOLE,
           body=server_action),
        Op('GET', P + '/servers/{server_id}/os-instance-actions',
           'List the actions of a server.', result=_list('instanceActions'),
           params=[common.LIMIT, common.MARKER]),
        Op('GET', P + '/servers/{server_id}/os-instance-actions/{id}',
           'Show an action (by request id) with its events.',
           result=_obj('instanceAction')),
        Op('GET', P + '/servers/{server_id}/os-volume_attachments',
           'List the volumes attached to a server.',
           result=_list('volumeAttachments'),
           params=[common.LIMIT,
                   common.query('offset', {'type': 'integer',
                                           'minimum': 0})]),
        Op('POST', P + '/servers/{server_id}/os-volume_attachments',
           'Attach a volume.', result=_obj('volumeAttachment'),
           body=volume_schemas.attach),
        Op('GET', P + '/servers/{server_id}/os-volume_attachments/{id}',
           'Show an attachment (by volume id).',
           result=_obj('volumeAttachment')),
        Op('DELETE', P + '/servers/{server_id}/os-volume_attachments/{id}',
           'Detach a volume.', ok=202),
        # flavors
        Op('GET', P + '/flavors', 'List flavors.', result=_list('flavors'),
           params=_FLAVOR_FILTERS),
        Op('POST', P + '/flavors', 'Create a flavor (admin).',
           result=_obj('flavor'), body=flavors.create),
        Op('GET', P + '/flavors/detail', 'List flavors with details.',
           result=_list('flavors'), params=_FLAVOR_FILTERS),
        Op('GET', P + '/flavors/{id}', 'Show a flavor.',
           result=_obj('flavor')),
        Op('DELETE', P + '/flavors/{id}', 'Delete a flavor (admin).',
           ok=202),
        Op('GET', P + '/flavors/{flavor_id}/os-extra_specs',
           'List extra specs.', result=_obj('extra_specs')),
        Op('POST', P + '/flavors/{flavor_id}/os-extra_specs',
           'Create or update extra specs (admin).',
           result=_obj('extra_specs'), body=flavors.extra_specs),
        Op('GET', P + '/flavors/{flavor_id}/os-extra_specs/{key}',
           'Show one extra spec.', result=_any),
        Op('PUT', P + '/flavors/{flavor_id}/os-extra_specs/{key}',
           'Set one extra spec (admin).', result=_any,
           body=flavors.extra_spec_item),
        Op('DELETE', P + '/flavors/{flavor_id}/os-extra_specs/{key}',
           'Delete one extra spec (admin).', ok=202),
        # key pairs
        Op('GET', P + '/os-keypairs', 'List key pairs.',
           result=_list('keypairs'),
           params=[common.LIMIT, common.MARKER, common.query('user_id')]),
        Op('POST', P + '/os-keypairs', 'Create or import a key pair.',
           ok=(200, 201), result=_obj('keypair'), body=keypairs.create),
        Op('GET', P + '/os-keypairs/{id}', 'Show a key pair.',
           result=_obj('keypair'), params=[common.query('user_id')]),
        Op('DELETE', P + '/os-keypairs/{id}', 'Delete a key pair.',
           ok=(202, 204), params=[common.query('user_id')]),
        # quotas and limits
        Op('GET', P + '/limits', 'Limits and usage of the project.',
           result=_obj('limits'), params=[common.query('tenant_id')]),
        Op('GET', P + '/os-quota-sets/{project_id}', 'Show quotas.',
           result=_obj('quota_set')),
        Op('PUT', P + '/os-quota-sets/{project_id}', 'Update quotas '
           '(admin).', result=_obj('quota_set'), body=quota_sets.update),
        Op('DELETE', P + '/os-quota-sets/{project_id}',
           'Reset quotas to the defaults (admin).', ok=202),
        Op('GET', P + '/os-quota-sets/{project_id}/defaults',
           'Default quotas.', result=_obj('quota_set')),
        Op('GET', P + '/os-quota-sets/{project_id}/detail',
           'Quotas with usage.', result=_obj('quota_set')),
        # admin APIs
        Op('GET', P + '/os-services', 'List services (admin).',
           result=_list('services'),
           params=[common.query('binary'), common.query('host')]),
        Op('PUT', P + '/os-services/{id}',
           'Enable, disable or force down a service (admin): by uuid from '
           '2.53, else id is enable, disable, disable-log-reason or '
           'force-down.', result=_obj('service'),
           body=common.any_of(services.UPDATE_253, services.LEGACY)),
        Op('DELETE', P + '/os-services/{id}', 'Delete a service (admin).',
           ok=204),
        Op('GET', P + '/os-hypervisors', 'List hypervisors (admin).',
           result=_list('hypervisors'), params=_HYPERVISOR_FILTERS),
        Op('GET', P + '/os-hypervisors/detail',
           'List hypervisors with details (admin).',
           result=_list('hypervisors'), params=_HYPERVISOR_FILTERS),
        Op('GET', P + '/os-hypervisors/statistics',
           'Totals over all hypervisors (admin).',
           result=_obj('hypervisor_statistics')),
        Op('GET', P + '/os-hypervisors/{pattern}/search',
           'Hypervisors whose name contains pattern (admin).',
           result=_list('hypervisors')),
        Op('GET', P + '/os-hypervisors/{pattern}/servers',
           'Hypervisors whose name contains pattern, with their servers '
           '(admin).', result=_list('hypervisors')),
        Op('GET', P + '/os-hypervisors/{id}/uptime',
           'Uptime of a hypervisor (admin).', result=_obj('hypervisor')),
        Op('GET', P + '/os-hypervisors/{id}', 'Show a hypervisor (admin).',
           result=_obj('hypervisor'),
           params=[common.query('with_servers')]),
        Op('GET', P + '/os-availability-zone', 'List availability zones.',
           result=_list('availabilityZoneInfo')),
        Op('GET', P + '/os-availability-zone/detail',
           'List availability zones with hosts (admin).',
           result=_list('availabilityZoneInfo')),
        Op('GET', P + '/os-aggregates', 'List aggregates (admin).',
           result=_list('aggregates')),
        Op('POST', P + '/os-aggregates', 'Create an aggregate (admin).',
           result=_obj('aggregate'), body=aggregates.CREATE),
        Op('GET', P + '/os-aggregates/{id}', 'Show an aggregate (admin).',
           result=_obj('aggregate')),
        Op('PUT', P + '/os-aggregates/{id}', 'Update an aggregate '
           '(admin).', result=_obj('aggregate'), body=aggregates.UPDATE),
        Op('DELETE', P + '/os-aggregates/{id}', 'Delete an aggregate '
           '(admin).'),
        Op('POST', P + '/os-aggregates/{id}/action',
           'add_host, remove_host or set_metadata (admin).',
           result=_obj('aggregate'), body=_aggregate_action()),
        Op('GET', P + '/os-server-groups', 'List server groups.',
           result=_list('server_groups'),
           params=[common.query('all_projects'),
                   common.query('limit', {'type': 'integer',
                                          'minimum': 1}),
                   common.query('offset', {'type': 'integer',
                                           'minimum': 0})]),
        Op('POST', P + '/os-server-groups', 'Create a server group: '
           'policies before 2.64, policy and rules from 2.64.',
           result=_obj('server_group'),
           body=common.any_of(server_groups.CREATE_V21,
                              server_groups.CREATE_V264)),
        Op('GET', P + '/os-server-groups/{id}', 'Show a server group.',
           result=_obj('server_group')),
        Op('DELETE', P + '/os-server-groups/{id}', 'Delete a server group.',
           ok=204),
    ]


def build():
    return common.document(
        'Stratus compute API',
        'The OpenStack compute API v2.1 subset Stratus serves (port '
        '[api] compute_port), microversions 2.1 to 2.79.',
        operations(), common.NOVA_FAULT,
        headers={'microversion': common.microversion_header(
            'compute', r'2\.([1-9]|[1-7][0-9])', 'compute 2.79')})
