"""What the pages make of API answers: rows, escaping, field errors."""
import datetime

from stratus.api.dashboard import instance_pages
from stratus.api.dashboard import launch_page
from stratus.api.dashboard import render

EVIL = '<script>alert(1)</script>'


def _server(**kw):
    server = {
        'id': 'c0ffee00-0000-4000-8000-000000000001', 'name': EVIL,
        'status': 'BUILD', 'OS-EXT-STS:task_state': 'scheduling',
        'addresses': {'private': [{'addr': '10.0.0.5',
                                   'OS-EXT-IPS:type': 'fixed'},
                                  {'addr': '172.24.4.9',
                                   'OS-EXT-IPS:type': 'floating'}]},
        'flavor': {'original_name': 'm1.tiny', 'vcpus': 1, 'ram': 128,
                   'disk': 1},
        'image': {'id': 'img-1'}, 'created': '2026-01-01T00:00:00Z',
        'OS-EXT-SRV-ATTR:host': 'compute-7'}
    server.update(kw)
    return server


def test_summary_of_a_server():
    row = instance_pages.summary(_server(), {'img-1': 'cirros'})
    assert row['transitional'] and row['status'] == 'BUILD'
    assert row['addresses'] == ['10.0.0.5', '172.24.4.9 (floating)']
    assert row['flavor'] == 'm1.tiny'
    assert row['flavor_detail'] == '1 vCPU, 128 MB RAM, 1 GB disk'
    assert row['image'] == 'cirros' and row['host'] == 'compute-7'
    active = instance_pages.summary(_server(
        status='ACTIVE', **{'OS-EXT-STS:task_state': None}, image=''), {})
    assert not active['transitional'] and active['image'] == 'volume'


def test_a_server_named_like_a_script_renders_escaped():
    row = instance_pages.summary(_server(), {})
    for is_admin in (False, True):
        html = render.render_text('instance_rows.html', servers=[row],
                                  csrf_token='tok', is_admin=is_admin)
        assert EVIL not in html
        assert '&lt;script&gt;alert(1)&lt;/script&gt;' in html
        assert ('compute-7' in html) is is_admin
    page = render.render_text('instance.html', server=row, csrf_token='t',
                              user=EVIL, project=EVIL, messages=[
                                  ('error', EVIL)], path='/dashboard/x')
    assert EVIL not in page


def test_api_messages_land_next_to_their_field():
    cases = {
        'Flavor 99 could not be found.': 'flavor',
        'Image abc could not be found.': 'image',
        'Invalid key_name provided.': 'key_name',
        'Network x could not be found.': 'network',
        'The requested availability zone is not available': 'az',
        'Quota exceeded for instances: Requested 5, but already used 9':
            'count',
        'Something else entirely.': 'form',
    }
    for message, field in cases.items():
        assert launch_page.field_of(message) == field, message


def test_launch_body_from_the_form():
    values = dict.fromkeys(launch_page.FIELDS, '')
    values.update(name='web', image='img-1', flavor='1', network='net-1',
                  count='2', key_name='k', az='nova')
    body, errors = launch_page._body(values)
    assert errors is None
    server = body['server']
    assert server['networks'] == [{'uuid': 'net-1'}]
    assert (server['min_count'], server['max_count']) == (2, 2)
    assert server['imageRef'] == 'img-1' and server['key_name'] == 'k'
    values.update(boot_from_volume='1', volume_size='3', network='none')
    server = launch_page._body(values)[0]['server']
    assert server['imageRef'] == '' and server['networks'] == 'none'
    bdm = server['block_device_mapping_v2'][0]
    assert (bdm['uuid'], bdm['volume_size'], bdm['destination_type']) == (
        'img-1', 3, 'volume')
    values.update(count='0', volume_size='x', name='')
    body, errors = launch_page._body(values)
    assert body is None
    assert set(errors) == {'count', 'volume_size', 'name'}


def test_age_and_percent():
    now = datetime.datetime(2026, 1, 2, tzinfo=datetime.timezone.utc)
    assert render.age('2026-01-01T23:59:30Z', now) == '30s'
    assert render.age('2026-01-01T23:00:00Z', now) == '1h'
    assert render.age('2025-12-30T00:00:00', now) == '3d'
    assert render.age('garbage', now) == '' and render.age(None) == ''
    assert render.percent(3, 4) == 75 and render.percent(1, 0) == 0
    assert render.percent(9, 4) == 100
