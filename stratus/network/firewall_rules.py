"""The ingress rules an instance's security groups add up to, resolved for
the compute host's firewall (Nova's IptablesFirewallDriver asked the
database the same): a rule whose source is a group becomes the fixed IPs
of that group's members. Egress is not filtered (as nova-network)."""
import sqlalchemy as sa

from stratus.db import api as db_api
from stratus.db import models
from stratus.db import security_groups as groups_db


def _members(session, project_id, group_name):
    """Fixed IPs of the project's live instances in group ``group_name``."""
    inst, ip = models.Instance, models.FixedIp
    rows = session.execute(sa.select(inst.security_groups, ip.address).join(
        ip, ip.instance_uuid == inst.uuid).where(
        inst.project_id == project_id, inst.deleted == 0,
        ip.allocated.is_(True)))
    return sorted({address for groups, address in rows
                   if group_name in (groups or [])})


def instance_rules(instance_uuid):
    """:returns: ``[{'protocol', 'port_min', 'port_max', 'sources'}]``
    (IPv4 only; ``sources`` are CIDRs) for ``instance_uuid``, [] when it
    is unknown."""
    with db_api.reader() as session:
        inst = session.scalars(sa.select(models.Instance).where(
            models.Instance.uuid == instance_uuid)).first()
        if inst is None:
            return []
        project_id, names = inst.project_id, list(inst.security_groups or
                                                  ['default'])
    if 'default' in names:
        groups_db.ensure_default(project_id)
    with db_api.reader() as session:
        groups = list(session.scalars(sa.select(models.SecurityGroup).where(
            models.SecurityGroup.project_id == project_id,
            models.SecurityGroup.name.in_(names))))
        by_uuid = {g.uuid: g.name for g in session.scalars(
            sa.select(models.SecurityGroup).where(
                models.SecurityGroup.project_id == project_id))}
        rules = list(session.scalars(sa.select(
            models.SecurityGroupRule).where(
            models.SecurityGroupRule.group_id.in_([g.id for g in groups]),
            models.SecurityGroupRule.direction == 'ingress',
            models.SecurityGroupRule.ethertype == 'IPv4').order_by(
            models.SecurityGroupRule.id)))
        resolved = []
        for rule in rules:
            if rule.remote_group_id:
                name = by_uuid.get(rule.remote_group_id)
                sources = ['%s/32' % a for a in
                           _members(session, project_id, name)] \
                    if name else []
                if not sources:
                    continue
            else:
                sources = [rule.remote_ip_prefix or '0.0.0.0/0']
            resolved.append({'protocol': rule.protocol,
                             'port_min': rule.port_range_min,
                             'port_max': rule.port_range_max,
                             'sources': sources})
    return resolved
