from stratus.db import identity as db
from stratus.identity import bootstrap
from stratus.identity import passwords
from tests.fixtures.identity import cloud_ids  # noqa: F401


def _names(rows):
    return sorted(r['name'] for r in rows)


def test_bootstrap_creates_users_projects_roles(cloud_ids):
    assert _names(db.role_list()) == ['admin', 'member', 'reader']
    assert _names(db.project_list()) == ['admin', 'demo', 'service']
    assert _names(db.user_list()) == ['admin', 'demo']
    admin_roles = db.user_roles(cloud_ids['users']['admin'],
                                cloud_ids['projects']['admin'])
    assert _names(admin_roles) == ['admin', 'member', 'reader']
    demo_roles = db.user_roles(cloud_ids['users']['demo'],
                               cloud_ids['projects']['demo'])
    assert _names(demo_roles) == ['member', 'reader']


def test_bootstrap_twice_updates_passwords_only(cloud_ids):
    again = bootstrap.bootstrap('new-admin-pw', 'new-demo-pw')
    assert again == cloud_ids
    assert len(db.user_list()) == 2
    assert len(db.role_list()) == 3
    assert len(db.assignment_list()) == 5
    admin = db.user_find('admin')
    assert passwords.verify_password('new-admin-pw', admin['password_hash'])
    assert not passwords.verify_password('admin-secret',
                                         admin['password_hash'])


def test_bootstrap_without_demo(tmp_path):
    from tests.fixtures import identity as fx
    fx.configure(tmp_path)
    try:
        ids = bootstrap.bootstrap('pw')
        assert list(ids['users']) == ['admin']
        assert db.user_find('demo') is None
    finally:
        fx.CONF.reset()
