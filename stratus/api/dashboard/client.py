"""The dashboard's way into the cloud: the public REST APIs over HTTP.

Exactly what a command-line client does: keystoneauth1 logs in with a
password, and every later call goes through a keystoneauth1 Session whose
auth plugin is the user's token and catalog, to the endpoint of the
service type in that catalog. The dashboard never reads the database, so
it shows what the APIs allow the user and nothing more.
"""
from keystoneauth1 import exceptions as ks_exc
from keystoneauth1 import session as ks_session
from keystoneauth1.identity import access as ks_access
from keystoneauth1.identity import v3

from stratus import conf

CONF = conf.CONF
TIMEOUT = 60
# Microversions the pages are written against: 2.47 embeds the flavor
# (vCPUs, RAM, disk) in a server.
HEADERS = {
    'compute': {'OpenStack-API-Version': 'compute 2.47'},
    'block-storage': {'OpenStack-API-Version': 'volume 3.0'},
}


class APIError(Exception):
    """An API answered with an error status (or could not be reached)."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def auth_url():
    return 'http://%s:%s/v3' % (CONF.api.public_host, CONF.api.identity_port)


def login(username, password, project, domain='Default'):
    """Authenticate with a password, scoped to ``project``.

    :returns: the keystoneauth1 ``AccessInfo`` (token, roles, catalog).
    :raises: APIError (401 for a wrong user, password or project).
    """
    plugin = v3.Password(auth_url=auth_url(), username=username,
                         password=password, user_domain_name=domain,
                         project_name=project, project_domain_name=domain)
    try:
        return plugin.get_access(ks_session.Session(timeout=TIMEOUT))
    except ks_exc.Unauthorized:
        raise APIError(401, 'Invalid user name, password or project.')
    except ks_exc.HttpError as e:
        raise APIError(e.http_status or 500, e.message or str(e))
    except ks_exc.ClientException as e:
        raise APIError(503, 'The identity service cannot be reached: %s' % e)


def fault_message(resp):
    """The message of an OpenStack fault body, whichever API's style."""
    try:
        body = resp.json()
    except ValueError:
        return (resp.text or resp.reason or '').strip()[:500]
    if isinstance(body, dict):
        if isinstance(body.get('message'), str):
            return body['message']
        for value in body.values():
            if isinstance(value, dict) and 'message' in value:
                return str(value['message'])
    return str(body)[:500]


class Cloud:
    """The APIs as one logged-in user sees them."""

    def __init__(self, auth_ref):
        self.auth_ref = auth_ref
        plugin = ks_access.AccessInfoPlugin(auth_ref, auth_url=auth_url())
        self.session = ks_session.Session(auth=plugin, timeout=TIMEOUT)

    @property
    def is_admin(self):
        return 'admin' in (self.auth_ref.role_names or [])

    @property
    def project_id(self):
        return self.auth_ref.project_id

    def request(self, service, method, path, json=None, headers=None):
        """One API call; returns the decoded JSON body (or None).

        :param service: catalog service type (``compute``, ``image``...).
        :raises: APIError for any status of 400 and above.
        """
        all_headers = dict(HEADERS.get(service, {}))
        all_headers.update(headers or {})
        try:
            resp = self.session.request(
                path, method, json=json, headers=all_headers,
                raise_exc=False,
                endpoint_filter={'service_type': service,
                                 'interface': 'public'})
        except ks_exc.EndpointNotFound:
            raise APIError(503, 'No %s endpoint in the catalog.' % service)
        except ks_exc.ClientException as e:
            raise APIError(503, 'The %s API cannot be reached: %s'
                           % (service, e))
        if resp.status_code >= 400:
            raise APIError(resp.status_code, fault_message(resp))
        if not resp.content:
            return None
        try:
            return resp.json()
        except ValueError:
            return None

    def get(self, service, path, **kw):
        return self.request(service, 'GET', path, **kw)

    def post(self, service, path, body=None, **kw):
        return self.request(service, 'POST', path, json=body, **kw)

    def put(self, service, path, body=None, **kw):
        return self.request(service, 'PUT', path, json=body, **kw)

    def delete(self, service, path, **kw):
        return self.request(service, 'DELETE', path, **kw)

    def revoke_token(self):
        """Log out: ``DELETE /v3/auth/tokens`` of the session's token."""
        token = self.auth_ref.auth_token
        self.request('identity', 'DELETE', '/auth/tokens',
                     headers={'X-Subject-Token': token})
