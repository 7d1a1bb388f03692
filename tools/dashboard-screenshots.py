#!/usr/bin/env python3
"""Screenshots of the web dashboard's main pages, for docs/.

Starts a private stack with the fake virt driver (tests/fixtures/stack.py:
its own RabbitMQ vhost, database and ports), fills it with a few servers,
a volume and a key pair, and drives headless Chromium (Debian's chromium
and chromium-driver) as admin through the pages, writing
docs/dashboard-{login,instances,launch,volumes,admin}.png.

    .venv/bin/python tools/dashboard-screenshots.py [--out docs]
"""
import argparse
import os
import shutil
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, REPO)

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from tests.fixtures import stack as stack_fixture  # noqa: E402

FLAGS = ('--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic',
         '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync',
         '--disable-dev-shm-usage', '--window-size=1280,760',
         '--hide-scrollbars')


def chromium(profile):
    os.environ['SE_AVOID_STATS'] = 'true'
    options = webdriver.ChromeOptions()
    options.binary_location = '/usr/bin/chromium'
    for flag in FLAGS + ('--user-data-dir=%s' % profile,):
        options.add_argument(flag)
    return webdriver.Chrome(
        service=Service(executable_path='/usr/bin/chromedriver'),
        options=options)


def fill_cloud(stack):
    image = stack.openstack_json(
        'image', 'create', '--disk-format', 'qcow2', '--container-format',
        'bare', '--public', '--file', __file__, 'debian-12-tiny',
        user='admin')['id']
    for name in ('web-1', 'web-2', 'db-1'):
        stack.openstack('server', 'create', '--image', image, '--flavor',
                        'm1.small' if name == 'db-1' else 'm1.tiny',
                        '--nic', 'none', '--wait', name, user='admin')
    stack.openstack('server', 'stop', 'db-1', user='admin')
    stack.openstack('volume', 'create', '--size', '2', 'db-data',
                    user='admin')
    stack.openstack('volume', 'create', '--size', '1', 'scratch',
                    user='admin')
    stack.openstack('keypair', 'create', 'ops-key', user='admin')
    return image


def shoot(browser, out, name):
    time.sleep(0.5)  # let the badges and fonts settle
    path = os.path.join(out, 'dashboard-%s.png' % name)
    browser.save_screenshot(path)
    print('wrote', path)


def screenshots(stack, out):
    image = fill_cloud(stack)
    profile = tempfile.mkdtemp(prefix='stratus-shots-')
    browser = chromium(profile)
    wait = WebDriverWait(browser, 60)
    base = stack.dashboard_url
    try:
        browser.get(base + '/login')
        browser.find_element(By.ID, 'username').send_keys('admin')
        browser.find_element(By.ID, 'project').send_keys('admin')
        shoot(browser, out, 'login')
        browser.find_element(By.ID, 'password').send_keys(
            stack.admin_password)
        browser.find_element(By.ID, 'login-submit').click()
        wait.until(lambda b: b.find_elements(By.ID, 'instances'))

        browser.get(base + '/instances/launch')
        browser.find_element(By.ID, 'name').send_keys('web-3')
        Select(browser.find_element(By.ID, 'image')).select_by_value(image)
        Select(browser.find_element(By.ID, 'flavor')).select_by_value('1')
        shoot(browser, out, 'launch')
        browser.find_element(By.ID, 'launch-submit').click()
        wait.until(lambda b: b.find_elements(By.ID, 'instances'))
        wait.until(lambda b: 'BUILD' not in b.find_element(
            By.ID, 'instances').text)
        shoot(browser, out, 'instances')

        browser.get(base + '/volumes')
        shoot(browser, out, 'volumes')
        browser.get(base + '/admin')
        shoot(browser, out, 'admin')
    finally:
        browser.quit()
        shutil.rmtree(profile, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--out', default=os.path.join(REPO, 'docs'))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    os.environ.setdefault('PBR_VERSION', '0.1.0')
    stack = stack_fixture.Stack(driver='fake', tag='%ds' % os.getpid())
    stack.overrides.setdefault('network', {})['manager'] = 'noop'
    stack.start()
    try:
        screenshots(stack, args.out)
    finally:
        stack.stop()


if __name__ == '__main__':
    main()
