"""Policy rules of the compute API (registered on import)."""
from oslo_policy import policy as o_policy

from stratus import policy

ADMIN = 'rule:admin'
OWNER_MEMBER = 'rule:admin or rule:project_member'
OWNER_READER = 'rule:admin or rule:project_reader'
ANY_READER = 'rule:reader'
USER_OWNER = 'rule:admin or user_id:%(user_id)s'

SERVERS_INDEX = 'os_compute_api:servers:index'
SERVERS_DETAIL = 'os_compute_api:servers:detail'
SERVERS_ALL_TENANTS = 'os_compute_api:servers:index:get_all_tenants'
SERVERS_SHOW = 'os_compute_api:servers:show'
SERVERS_HOST_STATUS = 'os_compute_api:servers:show:host_status'
SERVERS_CREATE = 'os_compute_api:servers:create'
SERVERS_CREATE_FORCED_HOST = 'os_compute_api:servers:create:forced_host'
SERVERS_UPDATE = 'os_compute_api:servers:update'
SERVERS_DELETE = 'os_compute_api:servers:delete'
SERVERS_REBOOT = 'os_compute_api:servers:reboot'
SERVERS_STOP = 'os_compute_api:servers:stop'
SERVERS_START = 'os_compute_api:servers:start'
CONSOLE_OUTPUT = 'os_compute_api:os-console-output'
EXTENDED_ATTRS = 'os_compute_api:os-extended-server-attributes'
FLAVOR_CREATE = 'os_compute_api:os-flavor-manage:create'
FLAVOR_DELETE = 'os_compute_api:os-flavor-manage:delete'
EXTRA_SPECS_INDEX = 'os_compute_api:os-flavor-extra-specs:index'
EXTRA_SPECS_SHOW = 'os_compute_api:os-flavor-extra-specs:show'
EXTRA_SPECS_CREATE = 'os_compute_api:os-flavor-extra-specs:create'
EXTRA_SPECS_UPDATE = 'os_compute_api:os-flavor-extra-specs:update'
EXTRA_SPECS_DELETE = 'os_compute_api:os-flavor-extra-specs:delete'
KEYPAIRS_INDEX = 'os_compute_api:os-keypairs:index'
KEYPAIRS_SHOW = 'os_compute_api:os-keypairs:show'
KEYPAIRS_CREATE = 'os_compute_api:os-keypairs:create'
KEYPAIRS_DELETE = 'os_compute_api:os-keypairs:delete'
ACTIONS_LIST = 'os_compute_api:os-instance-actions:list'
ACTIONS_SHOW = 'os_compute_api:os-instance-actions:show'
ACTIONS_EVENTS = 'os_compute_api:os-instance-actions:events'
ACTIONS_EVENTS_DETAILS = 'os_compute_api:os-instance-actions:events:details'
LIMITS = 'os_compute_api:limits'
QUOTAS_SHOW = 'os_compute_api:os-quota-sets:show'
QUOTAS_DEFAULTS = 'os_compute_api:os-quota-sets:defaults'
QUOTAS_DETAIL = 'os_compute_api:os-quota-sets:detail'
QUOTAS_UPDATE = 'os_compute_api:os-quota-sets:update'
QUOTAS_DELETE = 'os_compute_api:os-quota-sets:delete'


def _rule(name, check, description):
    return o_policy.RuleDefault(name, check, description=description)


RULES = [
    _rule(SERVERS_INDEX, OWNER_READER, 'List servers.'),
    _rule(SERVERS_DETAIL, OWNER_READER, 'List servers with details.'),
    _rule(SERVERS_ALL_TENANTS, ADMIN, 'List servers of every project.'),
    _rule(SERVERS_SHOW, OWNER_READER, 'Show a server.'),
    _rule(SERVERS_HOST_STATUS, ADMIN, 'See the host status of a server.'),
    _rule(SERVERS_CREATE, OWNER_MEMBER, 'Create servers.'),
    _rule(SERVERS_CREATE_FORCED_HOST, ADMIN, 'Pick the host of a server.'),
    _rule(SERVERS_UPDATE, OWNER_MEMBER, 'Rename or describe a server.'),
    _rule(SERVERS_DELETE, OWNER_MEMBER, 'Delete a server.'),
    _rule(SERVERS_REBOOT, OWNER_MEMBER, 'Reboot a server.'),
    _rule(SERVERS_STOP, OWNER_MEMBER, 'Stop a server.'),
    _rule(SERVERS_START, OWNER_MEMBER, 'Start a server.'),
    _rule(CONSOLE_OUTPUT, OWNER_MEMBER, 'Read the console log of a server.'),
    _rule(EXTENDED_ATTRS, ADMIN, 'See the host attributes of servers.'),
    _rule(FLAVOR_CREATE, ADMIN, 'Create flavors.'),
    _rule(FLAVOR_DELETE, ADMIN, 'Delete flavors.'),
    _rule(EXTRA_SPECS_INDEX, ANY_READER, 'List flavor extra specs.'),
    _rule(EXTRA_SPECS_SHOW, ANY_READER, 'Show a flavor extra spec.'),
    _rule(EXTRA_SPECS_CREATE, ADMIN, 'Add flavor extra specs.'),
    _rule(EXTRA_SPECS_UPDATE, ADMIN, 'Change a flavor extra spec.'),
    _rule(EXTRA_SPECS_DELETE, ADMIN, 'Delete a flavor extra spec.'),
    _rule(KEYPAIRS_INDEX, USER_OWNER, 'List key pairs.'),
    _rule(KEYPAIRS_SHOW, USER_OWNER, 'Show a key pair.'),
    _rule(KEYPAIRS_CREATE, USER_OWNER, 'Create or import a key pair.'),
    _rule(KEYPAIRS_DELETE, USER_OWNER, 'Delete a key pair.'),
    _rule(ACTIONS_LIST, OWNER_READER, 'List the actions of a server.'),
    _rule(ACTIONS_SHOW, OWNER_READER, 'Show an action of a server.'),
    _rule(ACTIONS_EVENTS, ADMIN, 'See action events before 2.51.'),
    _rule(ACTIONS_EVENTS_DETAILS, ADMIN, 'See event tracebacks.'),
    _rule(LIMITS, ANY_READER, 'Show the limits of the own project.'),
    _rule(QUOTAS_SHOW, OWNER_READER, 'Show the quotas of a project.'),
    _rule(QUOTAS_DEFAULTS, ANY_READER, 'Show the default quotas.'),
    _rule(QUOTAS_DETAIL, OWNER_READER, 'Show quotas with their usage.'),
    _rule(QUOTAS_UPDATE, ADMIN, 'Change the quotas of a project.'),
    _rule(QUOTAS_DELETE, ADMIN, 'Reset the quotas of a project.'),
]

policy.register_rules(RULES)
