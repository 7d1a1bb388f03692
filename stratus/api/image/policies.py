"""Default policy of the image API (``image:*`` rules)."""
from oslo_policy import policy as o_policy

from stratus import policy

RULES = [
    o_policy.RuleDefault('image:publicize', 'rule:admin',
                         description='Make an image public.'),
    o_policy.RuleDefault('image:set_owner', 'rule:admin',
                         description="Set another project as an image's "
                                     'owner.'),
    o_policy.RuleDefault('image:modify', 'rule:admin_or_owner',
                         description="Change an image's attributes."),
    o_policy.RuleDefault('image:upload', 'rule:admin_or_owner',
                         description="Upload an image's data."),
    o_policy.RuleDefault('image:delete', 'rule:admin_or_owner',
                         description='Delete an image.'),
]

policy.register_rules(RULES)


def authorize(context, rule, image=None):
    """Raise Forbidden unless ``context`` passes ``rule`` on ``image``."""
    target = {'project_id': image['owner'] if image else context.project_id}
    policy.authorize(context, rule, target)
