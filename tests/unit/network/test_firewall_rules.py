"""Resolving an instance's ingress rules: group sources become the fixed
IPs of the group's members."""
import uuid

from stratus.db import api as db_api
from stratus.db import models
from stratus.db import security_groups as groups_db
from stratus.network import firewall_rules


def _instance(project, groups, address):
    inst_uuid = str(uuid.uuid4())
    with db_api.writer() as session:
        session.add(models.Instance(
            uuid=inst_uuid, project_id=project, user_id='u',
            display_name='i', vm_state='active', security_groups=groups,
            request_spec={}, network_info=[], metadata_={}, flavor={},
            vcpus=1, memory_mb=64, root_gb=1))
        net = session.query(models.Network).first()
        if net is None:
            net = models.Network(uuid=str(uuid.uuid4()), label='n',
                                 cidr='10.0.0.0/24', bridge='br0',
                                 gateway='10.0.0.1',
                                 netmask='255.255.255.0')
            session.add(net)
            session.flush()
        session.add(models.FixedIp(address=address, network_id=net.id,
                                   instance_uuid=inst_uuid, allocated=True))
    return inst_uuid


def test_default_group_lets_in_its_members_then_added_rules(db):
    a = _instance('p1', ['default'], '10.0.0.5')
    b = _instance('p1', ['default'], '10.0.0.6')
    _instance('p2', ['default'], '10.0.0.7')      # another project's
    rules = firewall_rules.instance_rules(a)
    assert rules == [{'protocol': None, 'port_min': None, 'port_max': None,
                      'sources': ['10.0.0.5/32', '10.0.0.6/32']}]
    group = groups_db.ensure_default('p1')
    groups_db.rule_create(group['uuid'], 'p1', {
        'direction': 'ingress', 'ethertype': 'IPv4', 'protocol': 'tcp',
        'port_range_min': 22, 'port_range_max': 22,
        'remote_ip_prefix': '192.0.2.0/24', 'remote_group_id': None})
    rules = firewall_rules.instance_rules(b)
    assert rules[-1] == {'protocol': 'tcp', 'port_min': 22, 'port_max': 22,
                         'sources': ['192.0.2.0/24']}
    assert firewall_rules.instance_rules(str(uuid.uuid4())) == []


def test_a_group_without_members_elsewhere_gives_no_rule(db):
    web = groups_db.create('p1', 'web')
    groups_db.rule_create(web['uuid'], 'p1', {
        'direction': 'ingress', 'ethertype': 'IPv4', 'protocol': None,
        'port_range_min': None, 'port_range_max': None,
        'remote_ip_prefix': None, 'remote_group_id':
            groups_db.ensure_default('p1')['uuid']})
    lonely = _instance('p1', ['web'], '10.0.0.8')
    # 'web' lets in members of 'default', and 'default' has none.
    assert firewall_rules.instance_rules(lonely) == []
