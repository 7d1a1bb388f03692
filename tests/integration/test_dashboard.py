"""The web dashboard end to end: headless Chromium (Debian's chromium and
chromium-driver, through Selenium with no browser download) logs in,
launches a server from the form, watches the table turn it ACTIVE without
a reload, opens its console output and deletes it. Over plain HTTP: a user
of another project never sees it, a form without the CSRF token is refused
and an unknown server is a 404 page."""
import os
import re
import shutil
import tempfile

import pytest
import requests
from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select
from selenium.webdriver.support.ui import WebDriverWait

from tests.fixtures import guest

CHROMIUM = '/usr/bin/chromium'
CHROMEDRIVER = '/usr/bin/chromedriver'
CHROMIUM_FLAGS = ('--headless=new', '--no-sandbox', '--disable-gpu',
                  '--disable-quic', '--no-first-run',
                  '--disable-background-networking',
                  '--disable-component-update', '--disable-sync',
                  '--disable-dev-shm-usage', '--window-size=1360,900')
# A real guest boots in well under this on a loaded 2-core machine; the
# waits end as soon as the state is reached.
BOOT_WAIT = 240
PAGE_WAIT = 60


def start_chromium(user_data_dir):
    """Headless Chromium driven by the system chromedriver (Selenium
    Manager never runs: both paths are given)."""
    os.environ['SE_AVOID_STATS'] = 'true'
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument('--user-data-dir=%s' % user_data_dir)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER),
                              options=options)
    driver.set_page_load_timeout(PAGE_WAIT)
    return driver


@pytest.fixture(scope='module')
def browser():
    profile = tempfile.mkdtemp(prefix='stratus-chromium-')
    driver = start_chromium(profile)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope='module')
def image_id(stack):
    if stack.driver == 'fake':
        return stack.openstack_json(
            'image', 'create', '--disk-format', 'qcow2',
            '--container-format', 'bare', '--public', '--file', __file__,
            'dash-tiny-%d' % os.getpid(), user='admin')['id']
    return guest.upload_guest(stack, 'dash-guest-%d' % os.getpid())


def _admin_session(stack):
    auth = v3.Password(auth_url=stack.auth_url, username='admin',
                       password=stack.admin_password, project_name='admin',
                       user_domain_name='Default',
                       project_domain_name='Default')
    return ks_session.Session(auth=auth)


@pytest.fixture(scope='module')
def other_user(stack):
    """A member of a project of its own: (user, password, project)."""
    admin = _admin_session(stack)
    ident = {'service_type': 'identity', 'interface': 'public'}
    name = 'dash-other-%d' % os.getpid()
    password = 'pw-%d' % os.getpid()
    project = admin.post('/projects', endpoint_filter=ident, json={
        'project': {'name': name, 'domain_id': 'default'}}).json()['project']
    user = admin.post('/users', endpoint_filter=ident, json={
        'user': {'name': name, 'password': password, 'domain_id': 'default',
                 'default_project_id': project['id']}}).json()['user']
    roles = admin.get('/roles', endpoint_filter=ident).json()['roles']
    member = [r['id'] for r in roles if r['name'] == 'member'][0]
    admin.put('/projects/%s/users/%s/roles/%s' % (project['id'], user['id'],
                                                  member),
              endpoint_filter=ident)
    return name, password, name


class Dashboard:
    """The dashboard over plain HTTP, as one logged-in browser would."""

    def __init__(self, stack, user, password, project):
        self.base = stack.dashboard_url
        self.http = requests.Session()
        resp = self.http.get(self.base + '/login', timeout=PAGE_WAIT)
        resp = self.http.post(self.base + '/login', data={
            'csrf_token': self.csrf(resp.text), 'username': user,
            'password': password, 'project': project}, timeout=PAGE_WAIT)
        assert resp.url.endswith('/dashboard/instances'), resp.text
        self.token = self.csrf(resp.text)

    @staticmethod
    def csrf(html):
        return re.search(r'name="csrf_token" value="([^"]+)"',
                         html).group(1)

    def get(self, path):
        return self.http.get(self.base + path, timeout=PAGE_WAIT)

    def post(self, path, data, csrf=True):
        data = dict(data)
        if csrf:
            data['csrf_token'] = self.token
        return self.http.post(self.base + path, data=data, timeout=PAGE_WAIT)


def _row(browser, name):
    rows = browser.find_elements(By.CSS_SELECTOR,
                                 'tr[data-name="%s"]' % name)
    return rows[0] if rows else None


def _status_of(browser, name):
    row = _row(browser, name)
    return row.get_attribute('data-status') if row is not None else None


def test_login_launch_active_console_delete(stack, browser, image_id):
    base = stack.dashboard_url
    name = 'dash-%d' % os.getpid()
    wait = WebDriverWait(browser, PAGE_WAIT, poll_frequency=0.25)

    # Log in: the login page first, then back where we wanted to go.
    browser.get(base + '/instances')
    wait.until(ec.presence_of_element_located((By.ID, 'login-form')))
    browser.find_element(By.ID, 'username').send_keys('demo')
    browser.find_element(By.ID, 'password').send_keys(stack.demo_password)
    browser.find_element(By.ID, 'project').send_keys('demo')
    browser.find_element(By.ID, 'login-submit').click()
    wait.until(ec.presence_of_element_located((By.ID, 'instances')))
    assert browser.find_element(By.ID, 'whoami').text == 'demo @ demo'

    # Launch from the form.
    browser.find_element(By.ID, 'launch-link').click()
    wait.until(ec.presence_of_element_located((By.ID, 'launch-form')))
    browser.find_element(By.ID, 'name').send_keys(name)
    Select(browser.find_element(By.ID, 'image')).select_by_value(image_id)
    flavor = Select(browser.find_element(By.ID, 'flavor'))
    flavor.select_by_value('1')
    assert 'vCPU' in flavor.first_selected_option.text
    assert 'MB RAM' in flavor.first_selected_option.text
    browser.find_element(By.ID, 'launch-submit').click()
    wait.until(ec.presence_of_element_located((By.ID, 'instances')))

    # The server is listed at once, the page now polls for it, and the
    # badge turns ACTIVE with no reload of the page (the marker survives).
    assert _status_of(browser, name) in ('BUILD', 'ACTIVE')
    browser.execute_script('window.stratusNoReload = true;')
    WebDriverWait(browser, BOOT_WAIT, poll_frequency=0.5).until(
        lambda b: _status_of(b, name) in ('ACTIVE', 'ERROR'))
    assert _status_of(browser, name) == 'ACTIVE', \
        browser.find_element(By.ID, 'instances').text
    assert browser.execute_script('return window.stratusNoReload === true;')
    row = _row(browser, name)
    server_id = row.get_attribute('id')[len('server-'):]
    assert 'm1.tiny' in row.text

    # Console output of that server.
    row.find_element(By.CLASS_NAME, 'console-link').click()
    wait.until(ec.presence_of_element_located((By.ID, 'console-output')))
    assert name in browser.find_element(By.TAG_NAME, 'h1').text
    if stack.driver == 'fake':
        expected = 'fake console of %s' % server_id
    else:
        expected = guest.BOOTED
    # The guest writes to its console as it boots: reload until it shows.
    WebDriverWait(browser, BOOT_WAIT, poll_frequency=2).until(
        lambda b: expected in b.find_element(By.ID, 'console-output').text
        or b.refresh())

    # Delete, confirming the dialog; the row leaves the table by itself.
    browser.get(base + '/instances')
    wait.until(ec.presence_of_element_located((By.ID, 'instances')))
    _row(browser, name).find_element(By.CLASS_NAME, 'delete-button').click()
    wait.until(ec.alert_is_present())
    alert = browser.switch_to.alert
    assert name in alert.text
    alert.accept()
    wait.until(ec.presence_of_element_located((By.ID, 'instances')))
    assert 'Deleting %s.' % name in browser.find_element(
        By.CSS_SELECTOR, 'p.message').text
    WebDriverWait(browser, BOOT_WAIT, poll_frequency=0.5).until(
        lambda b: _row(b, name) is None)
    resp = _admin_session(stack).get(
        '/servers/%s' % server_id, raise_exc=False,
        endpoint_filter={'service_type': 'compute', 'interface': 'public'})
    assert resp.status_code == 404 or \
        resp.json()['server']['status'] == 'DELETED'

    # Log out: the token is revoked and the pages want a login again.
    browser.find_element(By.ID, 'logout').click()
    wait.until(ec.presence_of_element_located((By.ID, 'login-form')))
    browser.get(base + '/volumes')
    wait.until(ec.presence_of_element_located((By.ID, 'login-form')))


def test_other_project_never_sees_the_server(stack, image_id, other_user):
    demo = Dashboard(stack, 'demo', stack.demo_password, 'demo')
    other = Dashboard(stack, *other_user)
    name = 'dash-private-%d' % os.getpid()
    resp = demo.post('/instances/launch', {
        'name': name, 'image': image_id, 'flavor': '1', 'network': 'none',
        'count': '1'})
    assert resp.url.endswith('/dashboard/instances'), resp.text
    match = re.search(r'<tr id="server-([0-9a-f-]+)" data-name="%s"'
                      % name, resp.text)
    assert match, resp.text
    server_id = match.group(1)
    try:
        for page in ('/instances', '/instances/rows', '/volumes',
                     '/floating-ips'):
            resp = other.get(page)
            assert resp.status_code == 200
            assert server_id not in resp.text and name not in resp.text
        for page in ('/instances/%s' % server_id,
                     '/instances/%s/console' % server_id):
            resp = other.get(page)
            assert resp.status_code == 404
            assert name not in resp.text
        resp = other.post('/instances/%s/delete' % server_id, {'name': 'x'})
        assert resp.status_code == 404
        assert server_id in demo.get('/instances/rows').text
    finally:
        demo.post('/instances/%s/delete' % server_id, {'name': name})
        # Gone before the next test looks at the project's servers.
        WebDriverWait(demo, BOOT_WAIT, poll_frequency=0.5).until(
            lambda d: server_id not in d.get('/instances/rows').text)


def test_forms_without_csrf_and_unknown_pages(stack, image_id):
    demo = Dashboard(stack, 'demo', stack.demo_password, 'demo')
    resp = demo.post('/instances/launch', {'name': 'x', 'flavor': '1'},
                     csrf=False)
    assert resp.status_code == 403
    assert 'CSRF' in resp.text
    resp = demo.post('/logout', {'csrf_token': 'forged'}, csrf=False)
    assert resp.status_code == 403
    resp = demo.get('/instances/00000000-0000-0000-0000-000000000000')
    assert resp.status_code == 404
    assert 'Traceback' not in resp.text
    assert demo.get('/no/such/page').status_code == 404
    # A member is refused the admin overview by the compute API's policy.
    resp = demo.get('/admin')
    assert resp.status_code == 403
    assert 'os-hypervisors' in resp.text
    for header, value in (('X-Frame-Options', 'DENY'),
                          ('Content-Security-Policy', "default-src 'self'")):
        assert value in resp.headers[header]
    # The launch form's own checks, next to their fields.
    resp = demo.post('/instances/launch', {'name': '', 'flavor': '1',
                                           'count': 'many'})
    assert resp.status_code == 400
    assert 'id="error-name"' in resp.text
    assert 'id="error-count"' in resp.text
    # An API validation error is shown next to the field it is about.
    resp = demo.post('/instances/launch', {
        'name': 'x', 'image': image_id, 'flavor': '1', 'network': 'none',
        'count': '1', 'az': 'no-such-zone'})
    assert resp.status_code == 400
    assert re.search(r'id="error-az">[^<]*availability zone', resp.text)
    # Logging out revokes the token and ends the session.
    revoked = 'SELECT count(*) FROM tokens WHERE revoked = 1'
    before = stack.query(revoked)[0][0]
    token = demo.token
    assert demo.post('/logout', {}).status_code == 200
    assert stack.query(revoked)[0][0] == before + 1
    resp = demo.post('/instances/launch', {'csrf_token': token}, csrf=False)
    assert resp.status_code == 403
    resp = demo.get('/instances')
    assert resp.url.split('?')[0].endswith('/dashboard/login')


def test_key_pair_image_and_volume_pages(stack):
    demo = Dashboard(stack, 'demo', stack.demo_password, 'demo')
    tag = os.getpid()
    # A generated key pair: its private key is shown once, then never.
    resp = demo.post('/keypairs', {'name': 'dash-key-%d' % tag})
    assert 'BEGIN' in re.search(r'id="private-key">([^<]*)',
                                resp.text).group(1)
    listed = demo.get('/keypairs').text
    assert 'dash-key-%d' % tag in listed and 'private-key' not in listed
    resp = demo.post('/keypairs', {'name': 'dash-key-%d' % tag})
    assert resp.status_code == 409
    assert re.search(r'id="error-name">[^<]*exists', resp.text)
    demo.post('/keypairs/dash-key-%d/delete' % tag, {})
    assert 'dash-key-%d' % tag not in demo.get('/keypairs').text

    # An image uploaded through the form, then deleted.
    resp = demo.http.post(demo.base + '/images', data={
        'csrf_token': demo.token, 'name': 'dash-img-%d' % tag,
        'disk_format': 'raw', 'visibility': 'private'},
        files={'file': ('disk.raw', b'\0' * 65536)}, timeout=PAGE_WAIT)
    assert 'Uploaded image dash-img-%d.' % tag in resp.text, resp.text
    row = re.search(r'<tr id="image-([0-9a-f-]+)">\s*<td>dash-img-%d</td>'
                    r'\s*<td><span[^>]*>active<' % tag, resp.text)
    assert row, resp.text
    demo.post('/images/%s/delete' % row.group(1), {})
    assert 'dash-img-%d' % tag not in demo.get('/images').text

    # A volume: the API's size limit shown by the field, then a real one.
    resp = demo.post('/volumes', {'name': 'v', 'size': '999999'})
    assert resp.status_code == 400
    assert re.search(r'id="error-size">[^<]*1000', resp.text)
    resp = demo.post('/volumes', {'name': 'dash-vol-%d' % tag, 'size': '1'})
    row = re.search(r'<tr id="volume-([0-9a-f-]+)">\s*<td>dash-vol-%d<'
                    % tag, resp.text)
    assert row, resp.text
    WebDriverWait(demo, BOOT_WAIT, poll_frequency=0.5).until(
        lambda d: re.search(r'volume-%s">\s*<td>[^<]*</td><td>[^<]*</td>'
                            r'\s*<td><span[^>]*>available<' % row.group(1),
                            d.get('/volumes').text))
    demo.post('/volumes/%s/delete' % row.group(1), {})
    WebDriverWait(demo, BOOT_WAIT, poll_frequency=0.5).until(
        lambda d: 'dash-vol-%d' % tag not in d.get('/volumes').text)
