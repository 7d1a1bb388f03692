import hashlib
import json
import uuid

import pytest

from stratus import conf
from stratus.api.image import router
from tests.fixtures.identity import call, cloud_ids, issue_token  # noqa

CONF = conf.CONF
PATCH = 'application/openstack-images-v2.1-json-patch'


@pytest.fixture
def app(cloud_ids):
    return router.create_router()


@pytest.fixture
def admin(cloud_ids):
    return issue_token('admin', 'admin')


@pytest.fixture
def demo(cloud_ids):
    return issue_token('demo', 'demo')


def _create(app, token, **values):
    values.setdefault('name', 'img')
    values.setdefault('disk_format', 'qcow2')
    values.setdefault('container_format', 'bare')
    resp = call(app, 'POST', '/v2/images', values, token=token)
    assert resp.status_int == 201, resp.text
    return resp.json


def _patch(app, token, image_id, ops):
    req_body = json.dumps(ops).encode()
    return call(app, 'PATCH', '/v2/images/' + image_id, raw=req_body,
                content_type=PATCH, token=token)


def test_versions(app):
    resp = call(app, 'GET', '/')
    assert resp.status_int == 300
    versions = resp.json['versions']
    assert versions[0]['status'] == 'CURRENT'
    assert versions[0]['id'].startswith('v2.')
    assert versions[0]['links'][0]['href'] == 'http://localhost/v2/'


def test_create_show_with_properties(app, demo, cloud_ids):
    kernel = str(uuid.uuid4())
    image = _create(app, demo, kernel_id=kernel, os_distro='debian')
    assert image['status'] == 'queued'
    assert image['visibility'] == 'shared'
    assert image['owner'] == cloud_ids['projects']['demo']
    assert image['kernel_id'] == kernel
    assert image['os_hidden'] is False
    assert image['file'] == '/v2/images/%s/file' % image['id']
    shown = call(app, 'GET', '/v2/images/' + image['id'], token=demo).json
    assert shown['os_distro'] == 'debian'
    assert shown['checksum'] is None and shown['size'] is None


def test_create_with_given_id_and_duplicate(app, demo):
    image_id = str(uuid.uuid4())
    assert _create(app, demo, id=image_id)['id'] == image_id
    resp = call(app, 'POST', '/v2/images', {'id': image_id}, token=demo)
    assert resp.status_int == 409


def test_create_refuses_bad_input(app, demo):
    for body in ({'status': 'active'}, {'disk_format': 'floppy'},
                 {'visibility': 'everyone'}, {'id': 'not-a-uuid'},
                 {'min_ram': -1}, {'some_prop': 5}):
        resp = call(app, 'POST', '/v2/images', body, token=demo)
        assert resp.status_int in (400, 403), body
    assert call(app, 'POST', '/v2/images', {'status': 'active'},
                token=demo).status_int == 403


def test_public_needs_admin(app, demo, admin):
    resp = call(app, 'POST', '/v2/images', {'name': 'x',
                                            'visibility': 'public'},
                token=demo)
    assert resp.status_int == 403
    assert _create(app, admin, visibility='public')['visibility'] == \
        'public'


def test_private_image_hidden_from_other_project(app, demo, admin):
    public = _create(app, admin, name='pub', visibility='public')
    private = _create(app, admin, name='secret', visibility='private')
    resp = call(app, 'GET', '/v2/images/' + private['id'], token=demo)
    assert resp.status_int == 404
    names = [i['name'] for i in call(app, 'GET', '/v2/images',
                                     token=demo).json['images']]
    assert names == ['pub']
    assert call(app, 'GET', '/v2/images/' + public['id'],
                token=demo).status_int == 200
    # Seeing a public image does not let another project delete it.
    assert call(app, 'DELETE', '/v2/images/' + public['id'],
                token=demo).status_int == 403
    assert call(app, 'DELETE', '/v2/images/' + private['id'],
                token=demo).status_int == 404


def test_list_filters_and_pagination(app, demo):
    ids = [_create(app, demo, name='n%d' % i)['id'] for i in range(5)]
    listed = call(app, 'GET', '/v2/images?name=n3', token=demo).json
    assert [i['id'] for i in listed['images']] == [ids[3]]
    seen = []
    url = '/v2/images?limit=2'
    while url:
        page = call(app, 'GET', url, token=demo).json
        assert len(page['images']) <= 2
        seen += [i['id'] for i in page['images']]
        url = page.get('next')
    assert sorted(seen) == sorted(ids)
    assert len(seen) == 5
    assert call(app, 'GET', '/v2/images?status=active',
                token=demo).json['images'] == []
    assert call(app, 'GET', '/v2/images?limit=x', token=demo).status_int \
        == 400
    assert call(app, 'GET', '/v2/images?marker=%s' % uuid.uuid4(),
                token=demo).status_int == 404


def test_patch_name_and_properties(app, demo):
    image = _create(app, demo, extra='1')
    resp = _patch(app, demo, image['id'], [
        {'op': 'replace', 'path': '/name', 'value': 'renamed'},
        {'op': 'add', 'path': '/kernel_id', 'value': 'k'},
        {'op': 'remove', 'path': '/extra'},
        {'op': 'replace', 'path': '/visibility', 'value': 'private'}])
    assert resp.status_int == 200, resp.text
    body = resp.json
    assert body['name'] == 'renamed'
    assert body['kernel_id'] == 'k'
    assert 'extra' not in body
    assert body['visibility'] == 'private'
    shown = call(app, 'GET', '/v2/images/' + image['id'], token=demo).json
    assert shown['kernel_id'] == 'k' and 'extra' not in shown


def test_patch_refusals(app, demo, admin):
    image = _create(app, demo)
    cases = [([{'op': 'replace', 'path': '/status', 'value': 'active'}],
              403),
             ([{'op': 'remove', 'path': '/missing'}], 409),
             ([{'op': 'replace', 'path': '/missing', 'value': 'x'}], 409),
             ([{'op': 'remove', 'path': '/name'}], 403),
             ([{'op': 'replace', 'path': '/visibility', 'value': 'public'}],
              403),
             ([{'op': 'add', 'path': '/prop', 'value': 7}], 400),
             ([{'op': 'move', 'path': '/name'}], 400)]
    for ops, status in cases:
        assert _patch(app, demo, image['id'], ops).status_int == status, ops
    resp = call(app, 'PATCH', '/v2/images/' + image['id'],
                [{'op': 'replace', 'path': '/name', 'value': 'x'}],
                token=demo)
    assert resp.status_int == 415
    public = _create(app, admin, visibility='public')
    assert _patch(app, demo, public['id'], [
        {'op': 'replace', 'path': '/name', 'value': 'mine'}]).status_int \
        == 403


def test_protected_image_cannot_be_deleted(app, demo):
    image = _create(app, demo, protected=True)
    assert call(app, 'DELETE', '/v2/images/' + image['id'],
                token=demo).status_int == 403
    _patch(app, demo, image['id'], [{'op': 'replace', 'path': '/protected',
                                     'value': False}])
    assert call(app, 'DELETE', '/v2/images/' + image['id'],
                token=demo).status_int == 204
    assert call(app, 'GET', '/v2/images/' + image['id'],
                token=demo).status_int == 404


def test_unauthenticated_is_401(app):
    assert call(app, 'GET', '/v2/images').status_int == 401
    assert call(app, 'GET', '/v2/images', token='bogus').status_int == 401


def test_upload_download_checksum(app, demo, tmp_path):
    data = b'qcow2-bytes' * 20000
    image = _create(app, demo)
    resp = call(app, 'PUT', '/v2/images/%s/file' % image['id'], raw=data,
                token=demo)
    assert resp.status_int == 204, resp.text
    shown = call(app, 'GET', '/v2/images/' + image['id'], token=demo).json
    assert shown['status'] == 'active'
    assert shown['size'] == len(data)
    assert shown['checksum'] == hashlib.md5(data).hexdigest()
    assert shown['os_hash_algo'] == 'sha512'
    assert shown['os_hash_value'] == hashlib.sha512(data).hexdigest()
    stored = tmp_path / 'images' / image['id']
    assert stored.read_bytes() == data
    resp = call(app, 'GET', '/v2/images/%s/file' % image['id'], token=demo)
    assert resp.status_int == 200
    assert resp.body == data
    assert resp.headers['Content-MD5'] == shown['checksum']
    # A second upload is refused: the image is no longer queued.
    assert call(app, 'PUT', '/v2/images/%s/file' % image['id'], raw=b'x',
                token=demo).status_int == 409
    assert call(app, 'DELETE', '/v2/images/' + image['id'],
                token=demo).status_int == 204
    assert not stored.exists()


def test_upload_is_not_limited_by_json_body_size(app, demo):
    data = b'\0' * (CONF.api.max_request_body_size * 3)
    image = _create(app, demo)
    assert call(app, 'PUT', '/v2/images/%s/file' % image['id'], raw=data,
                token=demo).status_int == 204


def test_upload_over_cap_is_413_and_stays_queued(app, demo, tmp_path):
    CONF.set_override('image_size_cap', 10, 'image')
    image = _create(app, demo)
    resp = call(app, 'PUT', '/v2/images/%s/file' % image['id'],
                raw=b'x' * 11, token=demo)
    assert resp.status_int == 413
    shown = call(app, 'GET', '/v2/images/' + image['id'], token=demo).json
    assert shown['status'] == 'queued'
    assert list((tmp_path / 'images').iterdir()) == []


def test_download_of_queued_image_is_204(app, demo):
    image = _create(app, demo)
    assert call(app, 'GET', '/v2/images/%s/file' % image['id'],
                token=demo).status_int == 204


def test_chunked_upload(app, demo):
    from stratus.api import wsgi
    image = _create(app, demo)
    raw = b'5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n'
    req = wsgi.Request.blank('/v2/images/%s/file' % image['id'],
                             method='PUT')
    req.environ['wsgi.input'] = __import__('io').BytesIO(raw)
    req.environ.pop('CONTENT_LENGTH', None)
    req.headers['Transfer-Encoding'] = 'chunked'
    req.headers['X-Auth-Token'] = demo
    req.content_type = 'application/octet-stream'
    assert req.get_response(app).status_int == 204
    resp = call(app, 'GET', '/v2/images/%s/file' % image['id'], token=demo)
    assert resp.body == b'hello world'


def test_other_project_cannot_upload_to_public_image(app, demo, admin):
    image = _create(app, admin, visibility='public')
    assert call(app, 'PUT', '/v2/images/%s/file' % image['id'], raw=b'x',
                token=demo).status_int == 403


def test_schema_served(app, demo):
    schema = call(app, 'GET', '/v2/schemas/image', token=demo).json
    assert schema['name'] == 'image'
    assert 'disk_format' in schema['properties']


def test_hidden_images_only_listed_on_request(app, demo):
    shown = _create(app, demo, name='shown')
    hidden = _create(app, demo, name='hidden', os_hidden=True)
    assert hidden['os_hidden'] is True
    listed = call(app, 'GET', '/v2/images', token=demo).json['images']
    assert [i['id'] for i in listed] == [shown['id']]
    listed = call(app, 'GET', '/v2/images?os_hidden=true',
                  token=demo).json['images']
    assert [i['id'] for i in listed] == [hidden['id']]
    _patch(app, demo, hidden['id'], [{'op': 'replace', 'path': '/os_hidden',
                                      'value': False}])
    assert len(call(app, 'GET', '/v2/images', token=demo).json['images']) \
        == 2
