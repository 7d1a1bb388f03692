"""Policy rules of the block storage API (registered on import)."""
from oslo_policy import policy as o_policy

from stratus import policy

OWNER_MEMBER = 'rule:admin or rule:project_member'
OWNER_READER = 'rule:admin or rule:project_reader'

CREATE = 'volume:create'
GET = 'volume:get'
GET_ALL = 'volume:get_all'
DELETE = 'volume:delete'
EXTEND = 'volume:extend'
ALL_PROJECTS = 'volume:get_all:all_projects'
HOST_ATTRIBUTE = 'volume_extension:volume_host_attribute'

RULES = [
    o_policy.RuleDefault(CREATE, OWNER_MEMBER, description='Create volumes.'),
    o_policy.RuleDefault(GET, OWNER_READER, description='Show a volume.'),
    o_policy.RuleDefault(GET_ALL, OWNER_READER, description='List volumes.'),
    o_policy.RuleDefault(DELETE, OWNER_MEMBER, description='Delete a volume.'),
    o_policy.RuleDefault(EXTEND, OWNER_MEMBER, description='Extend a volume.'),
    o_policy.RuleDefault(ALL_PROJECTS, 'rule:admin',
                         description='List the volumes of every project.'),
    o_policy.RuleDefault(HOST_ATTRIBUTE, 'rule:admin',
                         description='See the host of a volume.'),
]

policy.register_rules(RULES)


def allowed(ctxt, rule, target=None):
    try:
        policy.authorize(ctxt, rule, target)
    except Exception:
        return False
    return True
