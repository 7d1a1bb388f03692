"""Policy rules of the admin compute APIs (os-services, os-hypervisors,
os-availability-zone, os-aggregates) and of os-server-groups."""
from oslo_policy import policy as o_policy

from stratus import policy

ADMIN = 'rule:admin'
OWNER_MEMBER = 'rule:admin or rule:project_member'
OWNER_READER = 'rule:admin or rule:project_reader'
ANY_READER = 'rule:reader'

SERVICES_LIST = 'os_compute_api:os-services:list'
SERVICES_UPDATE = 'os_compute_api:os-services:update'
SERVICES_DELETE = 'os_compute_api:os-services:delete'
HYPERVISORS_LIST = 'os_compute_api:os-hypervisors:list'
HYPERVISORS_DETAIL = 'os_compute_api:os-hypervisors:list-detail'
HYPERVISORS_SHOW = 'os_compute_api:os-hypervisors:show'
HYPERVISORS_STATISTICS = 'os_compute_api:os-hypervisors:statistics'
HYPERVISORS_UPTIME = 'os_compute_api:os-hypervisors:uptime'
HYPERVISORS_SEARCH = 'os_compute_api:os-hypervisors:search'
HYPERVISORS_SERVERS = 'os_compute_api:os-hypervisors:servers'
AZ_LIST = 'os_compute_api:os-availability-zone:list'
AZ_DETAIL = 'os_compute_api:os-availability-zone:detail'
AGGREGATES_INDEX = 'os_compute_api:os-aggregates:index'
AGGREGATES_CREATE = 'os_compute_api:os-aggregates:create'
AGGREGATES_SHOW = 'os_compute_api:os-aggregates:show'
AGGREGATES_UPDATE = 'os_compute_api:os-aggregates:update'
AGGREGATES_DELETE = 'os_compute_api:os-aggregates:delete'
AGGREGATES_ADD_HOST = 'os_compute_api:os-aggregates:add_host'
AGGREGATES_REMOVE_HOST = 'os_compute_api:os-aggregates:remove_host'
AGGREGATES_SET_METADATA = 'os_compute_api:os-aggregates:set_metadata'
GROUPS_CREATE = 'os_compute_api:os-server-groups:create'
GROUPS_DELETE = 'os_compute_api:os-server-groups:delete'
GROUPS_INDEX = 'os_compute_api:os-server-groups:index'
GROUPS_ALL_PROJECTS = 'os_compute_api:os-server-groups:index:all_projects'
GROUPS_SHOW = 'os_compute_api:os-server-groups:show'


def _rule(name, check, description):
    return o_policy.RuleDefault(name, check, description=description)


RULES = [
    _rule(SERVICES_LIST, ADMIN, 'List services.'),
    _rule(SERVICES_UPDATE, ADMIN, 'Enable, disable or force down a '
                                  'service.'),
    _rule(SERVICES_DELETE, ADMIN, 'Delete a service.'),
    _rule(HYPERVISORS_LIST, ADMIN, 'List hypervisors.'),
    _rule(HYPERVISORS_DETAIL, ADMIN, 'List hypervisors with details.'),
    _rule(HYPERVISORS_SHOW, ADMIN, 'Show a hypervisor.'),
    _rule(HYPERVISORS_STATISTICS, ADMIN, 'Show hypervisor statistics.'),
    _rule(HYPERVISORS_UPTIME, ADMIN, 'Show the uptime of a hypervisor.'),
    _rule(HYPERVISORS_SEARCH, ADMIN, 'Search hypervisors by host name.'),
    _rule(HYPERVISORS_SERVERS, ADMIN, 'List the servers of a hypervisor.'),
    _rule(AZ_LIST, ANY_READER, 'List availability zones.'),
    _rule(AZ_DETAIL, ADMIN, 'List availability zones with their hosts.'),
    _rule(AGGREGATES_INDEX, ADMIN, 'List aggregates.'),
    _rule(AGGREGATES_CREATE, ADMIN, 'Create an aggregate.'),
    _rule(AGGREGATES_SHOW, ADMIN, 'Show an aggregate.'),
    _rule(AGGREGATES_UPDATE, ADMIN, 'Rename or re-zone an aggregate.'),
    _rule(AGGREGATES_DELETE, ADMIN, 'Delete an aggregate.'),
    _rule(AGGREGATES_ADD_HOST, ADMIN, 'Add a host to an aggregate.'),
    _rule(AGGREGATES_REMOVE_HOST, ADMIN, 'Remove a host from an '
                                         'aggregate.'),
    _rule(AGGREGATES_SET_METADATA, ADMIN, 'Set aggregate metadata.'),
    _rule(GROUPS_CREATE, OWNER_MEMBER, 'Create a server group.'),
    _rule(GROUPS_DELETE, OWNER_MEMBER, 'Delete a server group.'),
    _rule(GROUPS_INDEX, OWNER_READER, 'List server groups.'),
    _rule(GROUPS_ALL_PROJECTS, ADMIN, 'List the server groups of every '
                                      'project.'),
    _rule(GROUPS_SHOW, OWNER_READER, 'Show a server group.'),
]

policy.register_rules(RULES)
