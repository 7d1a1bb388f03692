from stratus import conf
from stratus.identity import catalog

CONF = conf.CONF


def test_catalog_from_config():
    CONF.set_override('public_host', '127.0.0.9', 'api')
    CONF.set_override('region_name', 'RegionTwo', 'api')
    CONF.set_override('image_port', 19292, 'api')
    try:
        entries = {e['type']: e for e in catalog.build_catalog()}
    finally:
        CONF.clear_override('public_host', 'api')
        CONF.clear_override('region_name', 'api')
        CONF.clear_override('image_port', 'api')
    # Every API the api daemon serves, and nothing else.
    assert set(entries) == {row[0] for row in catalog.SERVICES}
    assert {'identity', 'compute', 'image', 'network', 'volumev3',
            'ec2'} <= set(entries)
    assert entries['compute']['name'] == 'nova'
    assert entries['image']['name'] == 'glance'
    urls = {t: {ep['url'] for ep in e['endpoints']}
            for t, e in entries.items()}
    assert urls['identity'] == {'http://127.0.0.9:5000/v3'}
    assert urls['compute'] == {'http://127.0.0.9:8774/v2.1'}
    assert urls['image'] == {'http://127.0.0.9:19292'}
    for entry in entries.values():
        assert sorted(ep['interface'] for ep in entry['endpoints']) == [
            'admin', 'internal', 'public']
        assert {ep['region'] for ep in entry['endpoints']} == {'RegionTwo'}


def test_catalog_ids_are_stable():
    assert catalog.build_catalog() == catalog.build_catalog()
