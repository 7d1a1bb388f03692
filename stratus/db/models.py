"""SQLAlchemy models: the one schema all daemons share.

Changes to these classes reach a database only through an alembic migration
under ``stratus/db/migrations/versions``; a unit test checks that the models
and the migrated schema agree.
"""
import datetime

import sqlalchemy as sa
from sqlalchemy import (JSON, BigInteger, Boolean, DateTime, Float,
                        ForeignKey, Index, Integer, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


class Base(DeclarativeBase):
    def to_dict(self):
        """Column values by attribute name (what crosses RPC)."""
        return {attr.key: getattr(self, attr.key)
                for attr in self.__mapper__.column_attrs}

    @classmethod
    def read_dicts(cls, session, *where):
        """``to_dict()`` of every row matching ``where``, read as column
        tuples: no ORM objects, about five times cheaper a row (the
        scheduler reads every service and compute node per decision)."""
        attrs = cls.__mapper__.column_attrs
        keys = [attr.key for attr in attrs]
        rows = session.execute(sa.select(
            *[attr.columns[0] for attr in attrs]).where(*where))
        return [dict(zip(keys, row)) for row in rows]

    @classmethod
    def update_one(cls, session, filters, values, where=()):
        """UPDATE the one row whose columns equal ``filters``; its
        ``to_dict()`` after the change, or None when no row matched.

        A Core statement on the table (the ORM's bulk UPDATE machinery
        costs more than the SQL), and where the database has UPDATE ...
        RETURNING (SQLite 3.35+, PostgreSQL) one statement, not an update
        and a select: this is the path of instance state changes,
        heartbeats and resource reports, written many times a second.

        :param filters: {attribute: value}, naming the row.
        :param values: {attribute: value or Core expression}.
        :param where: further Core conditions the row must meet before the
            change (a compare-and-swap); not applied to the re-read.
        """
        table = cls.__table__
        attrs = cls.__mapper__.column_attrs
        match = [attrs[key].columns[0] == value
                 for key, value in filters.items()]
        stmt = sa.update(table).where(*match, *where).values(
            {attrs[key].columns[0].name: value
             for key, value in values.items()})
        if session.get_bind().dialect.update_returning:
            row = session.execute(stmt.returning(
                *[attr.columns[0] for attr in attrs])).first()
            return None if row is None else {
                attr.key: value for attr, value in zip(attrs, row)}
        if session.execute(stmt).rowcount != 1:
            return None
        return cls.read_dicts(session, *match)[0]


class TimestampMixin:
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime, default=utcnow, nullable=False)
    updated_at: Mapped[datetime.datetime | None] = mapped_column(
        DateTime, onupdate=utcnow)


class SoftDeleteMixin:
    # 0 while alive, the row's id once deleted: unique constraints that
    # include ``deleted`` then allow a name to be reused after a delete.
    deleted: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime)


class Service(Base, TimestampMixin, SoftDeleteMixin):
    __tablename__ = 'services'
    __table_args__ = (UniqueConstraint('host', 'binary', 'deleted'),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    host: Mapped[str] = mapped_column(String(255))
    binary: Mapped[str] = mapped_column(String(255))
    topic: Mapped[str] = mapped_column(String(255))
    report_count: Mapped[int] = mapped_column(Integer, default=0)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    disabled_reason: Mapped[str | None] = mapped_column(String(255))
    forced_down: Mapped[bool] = mapped_column(Boolean, default=False)
    last_seen_up: Mapped[datetime.datetime | None] = mapped_column(DateTime)
    availability_zone: Mapped[str | None] = mapped_column(String(255))


class ComputeNode(Base, TimestampMixin, SoftDeleteMixin):
    __tablename__ = 'compute_nodes'
    __table_args__ = (UniqueConstraint('host', 'hypervisor_hostname',
                                       'deleted'),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    host: Mapped[str] = mapped_column(String(255), index=True)
    hypervisor_hostname: Mapped[str] = mapped_column(String(255))
    hypervisor_type: Mapped[str] = mapped_column(String(255))
    hypervisor_version: Mapped[int] = mapped_column(Integer, default=0)
    host_ip: Mapped[str | None] = mapped_column(String(64))
    vcpus: Mapped[int] = mapped_column(Integer, default=0)
    memory_mb: Mapped[int] = mapped_column(Integer, default=0)
    local_gb: Mapped[int] = mapped_column(Integer, default=0)
    vcpus_used: Mapped[int] = mapped_column(Integer, default=0)
    memory_mb_used: Mapped[int] = mapped_column(Integer, default=0)
    local_gb_used: Mapped[int] = mapped_column(Integer, default=0)
    running_vms: Mapped[int] = mapped_column(Integer, default=0)
    cpu_info: Mapped[dict | None] = mapped_column(JSON)


class Flavor(Base, TimestampMixin):
    __tablename__ = 'flavors'
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    flavorid: Mapped[str] = mapped_column(String(255), unique=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    vcpus: Mapped[int] = mapped_column(Integer)
    memory_mb: Mapped[int] = mapped_column(Integer)
    root_gb: Mapped[int] = mapped_column(Integer, default=0)
    ephemeral_gb: Mapped[int] = mapped_column(Integer, default=0)
    swap: Mapped[int] = mapped_column(Integer, default=0)
    rxtx_factor: Mapped[float] = mapped_column(Float, default=1.0)
    is_public: Mapped[bool] = mapped_column(Boolean, default=True)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str | None] = mapped_column(Text)
    extra_specs: Mapped[dict] = mapped_column(JSON, default=dict)


class Instance(Base, TimestampMixin, SoftDeleteMixin):
    __tablename__ = 'instances'
    __table_args__ = (
        Index('instances_project_deleted_idx', 'project_id', 'deleted'),
        Index('instances_host_deleted_idx', 'host', 'deleted'),
        # Lists walk these newest first instead of sorting (0006).
        Index('instances_project_created_idx', 'project_id', 'deleted',
              'created_at', 'id'),
        Index('instances_deleted_created_idx', 'deleted', 'created_at',
              'id'),
        # The quota check sums a project's cores and RAM inside the boot's
        # write transaction: from the index alone, not the wide rows (0008).
        Index('instances_project_usage_idx', 'project_id', 'deleted',
              'vcpus', 'memory_mb'),
    )
    # The integer id names the libvirt domain (instance-%08x) and the EC2 id.
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    display_name: Mapped[str] = mapped_column(String(255))
    display_description: Mapped[str | None] = mapped_column(Text)
    hostname: Mapped[str | None] = mapped_column(String(255))
    project_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(String(64))
    image_ref: Mapped[str | None] = mapped_column(String(255))
    # The flavor as it was at boot: later edits of the flavor don't move it.
    flavor: Mapped[dict] = mapped_column(JSON)
    vcpus: Mapped[int] = mapped_column(Integer)
    memory_mb: Mapped[int] = mapped_column(Integer)
    root_gb: Mapped[int] = mapped_column(Integer)
    ephemeral_gb: Mapped[int] = mapped_column(Integer, default=0)
    vm_state: Mapped[str] = mapped_column(String(255))
    task_state: Mapped[str | None] = mapped_column(String(255))
    power_state: Mapped[int] = mapped_column(Integer, default=0)
    host: Mapped[str | None] = mapped_column(String(255))
    node: Mapped[str | None] = mapped_column(String(255))
    availability_zone: Mapped[str | None] = mapped_column(String(255))
    key_name: Mapped[str | None] = mapped_column(String(255))
    key_data: Mapped[str | None] = mapped_column(Text)
    user_data: Mapped[str | None] = mapped_column(Text)
    metadata_: Mapped[dict] = mapped_column('metadata', JSON, default=dict)
    reservation_id: Mapped[str | None] = mapped_column(String(255))
    launch_index: Mapped[int] = mapped_column(Integer, default=0)
    launched_at: Mapped[datetime.datetime | None] = mapped_column(DateTime)
    terminated_at: Mapped[datetime.datetime | None] = mapped_column(DateTime)
    scheduled_at: Mapped[datetime.datetime | None] = mapped_column(DateTime)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    config_drive: Mapped[str | None] = mapped_column(String(255))
    access_ip_v4: Mapped[str | None] = mapped_column(String(64))
    access_ip_v6: Mapped[str | None] = mapped_column(String(64))
    # Network info as allocated: a list of VIF dicts (MAC, IPs, bridge...).
    network_info: Mapped[list] = mapped_column(JSON, default=list)
    # Scheduling request kept for reschedules and server groups.
    request_spec: Mapped[dict] = mapped_column(JSON, default=dict)
    security_groups: Mapped[list] = mapped_column(JSON, default=list)


class InstanceFault(Base):
    __tablename__ = 'instance_faults'
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instance_uuid: Mapped[str] = mapped_column(String(36), index=True)
    code: Mapped[int] = mapped_column(Integer)
    message: Mapped[str] = mapped_column(String(255))
    details: Mapped[str | None] = mapped_column(Text)
    host: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime.datetime] = mapped_column(DateTime,
                                                          default=utcnow)


class InstanceAction(Base):
    __tablename__ = 'instance_actions'
    __table_args__ = (Index('instance_actions_uuid_req_idx', 'instance_uuid',
                            'request_id'),
                      Index('instance_actions_request_id_idx',
                            'request_id'))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action: Mapped[str] = mapped_column(String(255))
    instance_uuid: Mapped[str] = mapped_column(String(36))
    request_id: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[str | None] = mapped_column(String(64))
    project_id: Mapped[str | None] = mapped_column(String(64))
    start_time: Mapped[datetime.datetime] = mapped_column(DateTime,
                                                          default=utcnow)
    finish_time: Mapped[datetime.datetime | None] = mapped_column(DateTime)
    message: Mapped[str | None] = mapped_column(String(255))
    updated_at: Mapped[datetime.datetime | None] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow)


class InstanceActionEvent(Base):
    __tablename__ = 'instance_actions_events'
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    action_id: Mapped[int] = mapped_column(
        ForeignKey('instance_actions.id'), index=True)
    event: Mapped[str] = mapped_column(String(255))
    start_time: Mapped[datetime.datetime] = mapped_column(DateTime,
                                                          default=utcnow)
    finish_time: Mapped[datetime.datetime | None] = mapped_column(DateTime)
    result: Mapped[str | None] = mapped_column(String(255))
    traceback: Mapped[str | None] = mapped_column(Text)
    host: Mapped[str | None] = mapped_column(String(255))
    details: Mapped[str | None] = mapped_column(Text)


class KeyPair(Base, TimestampMixin, SoftDeleteMixin):
    __tablename__ = 'key_pairs'
    __table_args__ = (UniqueConstraint('user_id', 'name', 'deleted'),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    user_id: Mapped[str] = mapped_column(String(64))
    fingerprint: Mapped[str] = mapped_column(String(255))
    public_key: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(String(16), default='ssh')


class Quota(Base, TimestampMixin):
    __tablename__ = 'quotas'
    __table_args__ = (UniqueConstraint('project_id', 'resource'),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[str] = mapped_column(String(64))
    resource: Mapped[str] = mapped_column(String(255))
    hard_limit: Mapped[int] = mapped_column(Integer)


class Project(Base, TimestampMixin):
    __tablename__ = 'projects'
    __table_args__ = (UniqueConstraint('domain_id', 'name'),)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    domain_id: Mapped[str] = mapped_column(String(64), default='default')
    description: Mapped[str | None] = mapped_column(Text)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)


class User(Base, TimestampMixin):
    __tablename__ = 'users'
    __table_args__ = (UniqueConstraint('domain_id', 'name'),)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    domain_id: Mapped[str] = mapped_column(String(64), default='default')
    password_hash: Mapped[str | None] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(255))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    default_project_id: Mapped[str | None] = mapped_column(String(64))


class Role(Base):
    __tablename__ = 'roles'
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)


class RoleAssignment(Base):
    __tablename__ = 'role_assignments'
    user_id: Mapped[str] = mapped_column(ForeignKey('users.id',
                                                    ondelete='CASCADE'),
                                         primary_key=True)
    project_id: Mapped[str] = mapped_column(ForeignKey('projects.id',
                                                       ondelete='CASCADE'),
                                            primary_key=True)
    role_id: Mapped[str] = mapped_column(ForeignKey('roles.id',
                                                    ondelete='CASCADE'),
                                         primary_key=True)


class Token(Base):
    __tablename__ = 'tokens'
    # sha256 of the token: a stolen database does not give usable tokens.
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(64), index=True)
    project_id: Mapped[str | None] = mapped_column(String(64))
    methods: Mapped[list] = mapped_column(JSON, default=list)
    audit_id: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[datetime.datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime.datetime] = mapped_column(DateTime, index=True)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class Image(Base, TimestampMixin, SoftDeleteMixin):
    __tablename__ = 'images'
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(255), index=True)
    status: Mapped[str] = mapped_column(String(30))
    visibility: Mapped[str] = mapped_column(String(30), default='shared')
    owner: Mapped[str | None] = mapped_column(String(64))
    protected: Mapped[bool] = mapped_column(Boolean, default=False)
    disk_format: Mapped[str | None] = mapped_column(String(30))
    container_format: Mapped[str | None] = mapped_column(String(30))
    size: Mapped[int | None] = mapped_column(BigInteger)
    virtual_size: Mapped[int | None] = mapped_column(BigInteger)
    checksum: Mapped[str | None] = mapped_column(String(32))
    os_hash_algo: Mapped[str | None] = mapped_column(String(64))
    os_hash_value: Mapped[str | None] = mapped_column(String(128))
    min_disk: Mapped[int] = mapped_column(Integer, default=0)
    min_ram: Mapped[int] = mapped_column(Integer, default=0)
    # Free-form image properties (kernel_id, ramdisk_id, hypervisor_type...).
    properties: Mapped[dict] = mapped_column(JSON, default=dict)
    tags: Mapped[list] = mapped_column(JSON, default=list)
    ec2_id: Mapped[int | None] = mapped_column(Integer, unique=True)


class Network(Base, TimestampMixin, SoftDeleteMixin):
    """A fixed-IP network (nova-network style) or a floating pool
    (``external``: its addresses live in ``floating_ips``)."""
    __tablename__ = 'networks'
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    label: Mapped[str] = mapped_column(String(255), index=True)
    cidr: Mapped[str] = mapped_column(String(43))
    gateway: Mapped[str | None] = mapped_column(String(39))
    broadcast: Mapped[str | None] = mapped_column(String(39))
    netmask: Mapped[str | None] = mapped_column(String(39))
    dns1: Mapped[str | None] = mapped_column(String(39))
    dns2: Mapped[str | None] = mapped_column(String(39))
    dhcp_start: Mapped[str | None] = mapped_column(String(39))
    bridge: Mapped[str | None] = mapped_column(String(15))
    bridge_interface: Mapped[str | None] = mapped_column(String(15))
    vlan: Mapped[int | None] = mapped_column(Integer)
    project_id: Mapped[str | None] = mapped_column(String(64), index=True)
    host: Mapped[str | None] = mapped_column(String(255))
    multi_host: Mapped[bool] = mapped_column(Boolean, default=False)
    external: Mapped[bool] = mapped_column(Boolean, default=False)


class VirtualInterface(Base, TimestampMixin):
    __tablename__ = 'virtual_interfaces'
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    # The MAC: unique, so two concurrent boots never share one.
    address: Mapped[str] = mapped_column(String(17), unique=True)
    network_id: Mapped[int] = mapped_column(
        ForeignKey('networks.id'), index=True)
    instance_uuid: Mapped[str] = mapped_column(String(36), index=True)
    project_id: Mapped[str | None] = mapped_column(String(64))


class FixedIp(Base, TimestampMixin):
    __tablename__ = 'fixed_ips'
    __table_args__ = (UniqueConstraint('network_id', 'address'),
                      Index('fixed_ips_instance_idx', 'instance_uuid'))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    address: Mapped[str] = mapped_column(String(39))
    network_id: Mapped[int] = mapped_column(
        ForeignKey('networks.id', ondelete='CASCADE'))
    virtual_interface_id: Mapped[int | None] = mapped_column(
        ForeignKey('virtual_interfaces.id', ondelete='SET NULL'))
    instance_uuid: Mapped[str | None] = mapped_column(String(36))
    allocated: Mapped[bool] = mapped_column(Boolean, default=False)
    leased: Mapped[bool] = mapped_column(Boolean, default=False)
    # The network, gateway and broadcast addresses and those before
    # dhcp_start are never handed out.
    reserved: Mapped[bool] = mapped_column(Boolean, default=False)
    host: Mapped[str | None] = mapped_column(String(255))


class FloatingIp(Base, TimestampMixin):
    __tablename__ = 'floating_ips'
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    address: Mapped[str] = mapped_column(String(39), unique=True)
    pool: Mapped[str] = mapped_column(String(255), index=True)
    network_id: Mapped[int | None] = mapped_column(
        ForeignKey('networks.id', ondelete='CASCADE'))
    project_id: Mapped[str | None] = mapped_column(String(64))
    fixed_ip_id: Mapped[int | None] = mapped_column(
        ForeignKey('fixed_ips.id', ondelete='SET NULL'))
    host: Mapped[str | None] = mapped_column(String(255))
    auto_assigned: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str | None] = mapped_column(String(255))


class SecurityGroup(Base, TimestampMixin):
    __tablename__ = 'security_groups'
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(String(255))
    project_id: Mapped[str] = mapped_column(String(64), index=True)
    # 'default' while this is the project's default group, else NULL: the
    # unique constraint keeps one default group per project under races.
    default_marker: Mapped[str | None] = mapped_column(String(16))
    __table_args__ = (UniqueConstraint('project_id', 'default_marker'),)


class SecurityGroupRule(Base, TimestampMixin):
    __tablename__ = 'security_group_rules'
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey('security_groups.id', ondelete='CASCADE'), index=True)
    direction: Mapped[str] = mapped_column(String(16))
    ethertype: Mapped[str] = mapped_column(String(8), default='IPv4')
    protocol: Mapped[str | None] = mapped_column(String(40))
    port_range_min: Mapped[int | None] = mapped_column(Integer)
    port_range_max: Mapped[int | None] = mapped_column(Integer)
    remote_ip_prefix: Mapped[str | None] = mapped_column(String(43))
    remote_group_id: Mapped[str | None] = mapped_column(String(36))
    description: Mapped[str | None] = mapped_column(String(255))


class Volume(Base, TimestampMixin, SoftDeleteMixin):
    """A block device the volume daemon of ``host`` serves (a file or LV)."""
    __tablename__ = 'volumes'
    __table_args__ = (
        Index('volumes_project_deleted_idx', 'project_id', 'deleted'),
        Index('volumes_host_deleted_idx', 'host', 'deleted'),
    )
    # Soft deleted rows keep their uuid; ``deleted`` is 0 or 1 here.
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    display_name: Mapped[str | None] = mapped_column(String(255))
    display_description: Mapped[str | None] = mapped_column(Text)
    project_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(255))
    attach_status: Mapped[str] = mapped_column(String(255),
                                               default='detached')
    # Why the volume is in 'error' (shown to its owner).
    status_reason: Mapped[str | None] = mapped_column(Text)
    host: Mapped[str | None] = mapped_column(String(255))
    availability_zone: Mapped[str | None] = mapped_column(String(255))
    bootable: Mapped[bool] = mapped_column(Boolean, default=False)
    source_image_id: Mapped[str | None] = mapped_column(String(36))
    volume_type: Mapped[str | None] = mapped_column(String(255))
    # Where the backend keeps it (a file path, /dev/vg/lv) and how.
    provider_location: Mapped[str | None] = mapped_column(String(255))
    disk_format: Mapped[str | None] = mapped_column(String(16))
    metadata_: Mapped[dict] = mapped_column('metadata', JSON, default=dict)
    launched_at: Mapped[datetime.datetime | None] = mapped_column(DateTime)
    terminated_at: Mapped[datetime.datetime | None] = mapped_column(DateTime)


class VolumeAttachment(Base, TimestampMixin, SoftDeleteMixin):
    """A volume attached (or being attached) to an instance."""
    __tablename__ = 'volume_attachments'
    __table_args__ = (
        UniqueConstraint('instance_uuid', 'mountpoint', 'deleted'),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    volume_id: Mapped[str] = mapped_column(ForeignKey('volumes.id'),
                                           index=True)
    instance_uuid: Mapped[str] = mapped_column(String(36), index=True)
    mountpoint: Mapped[str] = mapped_column(String(255))
    attach_status: Mapped[str] = mapped_column(String(255))
    attached_host: Mapped[str | None] = mapped_column(String(255))
    connection_info: Mapped[dict | None] = mapped_column(JSON)
    delete_on_termination: Mapped[bool] = mapped_column(Boolean,
                                                        default=False)
    attach_time: Mapped[datetime.datetime | None] = mapped_column(DateTime)
    detach_time: Mapped[datetime.datetime | None] = mapped_column(DateTime)


class VolumePool(Base):
    """Capacity a volume host last reported (the scheduler reads it)."""
    __tablename__ = 'volume_pools'
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    host: Mapped[str] = mapped_column(String(255), unique=True)
    driver: Mapped[str] = mapped_column(String(64))
    availability_zone: Mapped[str | None] = mapped_column(String(255))
    total_gb: Mapped[float] = mapped_column(Float, default=0.0)
    free_gb: Mapped[float] = mapped_column(Float, default=0.0)
    updated_at: Mapped[datetime.datetime | None] = mapped_column(
        DateTime, default=utcnow, onupdate=utcnow)


class Aggregate(Base, TimestampMixin):
    """A host aggregate; its ``availability_zone`` metadata key gives its
    hosts their zone."""
    __tablename__ = 'aggregates'
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    name: Mapped[str] = mapped_column(String(255), unique=True)
    metadata_: Mapped[dict] = mapped_column('metadata', JSON, default=dict)


class AggregateHost(Base):
    __tablename__ = 'aggregate_hosts'
    __table_args__ = (UniqueConstraint('aggregate_id', 'host'),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    aggregate_id: Mapped[int] = mapped_column(
        ForeignKey('aggregates.id', ondelete='CASCADE'), index=True)
    host: Mapped[str] = mapped_column(String(255), index=True)


class InstanceGroup(Base, TimestampMixin):
    """A server group: a placement policy over its member instances."""
    __tablename__ = 'instance_groups'
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    project_id: Mapped[str] = mapped_column(String(64), index=True)
    user_id: Mapped[str] = mapped_column(String(64))
    policy: Mapped[str] = mapped_column(String(255))
    rules: Mapped[dict] = mapped_column(JSON, default=dict)


class InstanceGroupMember(Base):
    __tablename__ = 'instance_group_members'
    __table_args__ = (UniqueConstraint('group_id', 'instance_uuid'),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey('instance_groups.id', ondelete='CASCADE'), index=True)
    instance_uuid: Mapped[str] = mapped_column(String(36), index=True)


class Ec2VolumeMapping(Base):
    """The number behind a volume's EC2 id (``vol-%08x``), as Nova's EC2
    layer kept ``volume_id_mappings``: a volume has only a UUID, and 32
    bits of it could collide. Owned by the API's EC2 module; a volume is
    numbered the first time EC2 shows it, and keeps its number."""
    __tablename__ = 'ec2_volume_mappings'
    id: Mapped[int] = mapped_column(Integer, primary_key=True,
                                    autoincrement=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime, default=utcnow, nullable=False)


class Ec2Credential(Base, TimestampMixin):
    """An EC2 access/secret pair of a user on a project (Keystone's
    OS-EC2 credentials). The secret is kept as is: SigV4 verification
    needs it to recompute the signature."""
    __tablename__ = 'ec2_credentials'
    access: Mapped[str] = mapped_column(String(64), primary_key=True)
    secret: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[str] = mapped_column(
        ForeignKey('users.id', ondelete='CASCADE'), index=True)
    project_id: Mapped[str] = mapped_column(
        ForeignKey('projects.id', ondelete='CASCADE'))
