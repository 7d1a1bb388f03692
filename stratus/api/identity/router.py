"""Route table of the identity API."""
from stratus.api import auth
from stratus.api import wsgi
from stratus.api.identity import auth_tokens
from stratus.api.identity import domains
from stratus.api.identity import ec2_credentials
from stratus.api.identity import projects
from stratus.api.identity import roles
from stratus.api.identity import users
from stratus.api.identity import versions


def create_router():
    """:returns: the WSGI application of the identity API."""
    router = wsgi.Router('identity', fault_body=wsgi.keystone_fault_body,
                         authenticate=auth.authenticate)
    add = router.add
    ver = versions.VersionsController()
    add('/', 'GET', ver, 'index', public=True)
    add('/v3', 'GET', ver, 'show', public=True)
    add('/v3/', 'GET', ver, 'show', public=True)

    tok = auth_tokens.AuthController()
    add('/v3/auth/tokens', 'POST', tok, 'issue', public=True)
    add('/v3/auth/tokens', 'GET', tok, 'validate')
    add('/v3/auth/tokens', 'HEAD', tok, 'check')
    add('/v3/auth/tokens', 'DELETE', tok, 'revoke')
    add('/v3/auth/catalog', 'GET', tok, 'catalog')
    add('/v3/auth/projects', 'GET', tok, 'projects')
    add('/v3/auth/domains', 'GET', tok, 'domains')
    add('/v3/auth/system', 'GET', tok, 'system')

    dom = domains.DomainsController()
    add('/v3/domains', 'GET', dom, 'index')
    add('/v3/domains/{domain_id}', 'GET', dom, 'show')

    proj = projects.ProjectsController()
    add('/v3/projects', 'GET', proj, 'index')
    add('/v3/projects', 'POST', proj, 'create')
    add('/v3/projects/{project_id}', 'GET', proj, 'show')
    add('/v3/projects/{project_id}', 'PATCH', proj, 'update')
    add('/v3/projects/{project_id}', 'DELETE', proj, 'delete')

    usr = users.UsersController()
    add('/v3/users', 'GET', usr, 'index')
    add('/v3/users', 'POST', usr, 'create')
    add('/v3/users/{user_id}', 'GET', usr, 'show')
    add('/v3/users/{user_id}', 'PATCH', usr, 'update')
    add('/v3/users/{user_id}', 'DELETE', usr, 'delete')
    add('/v3/users/{user_id}/projects', 'GET', usr, 'projects')

    rol = roles.RolesController()
    add('/v3/roles', 'GET', rol, 'index')
    add('/v3/roles', 'POST', rol, 'create')
    add('/v3/roles/{role_id}', 'GET', rol, 'show')

    grants = roles.GrantsController()
    grant = '/v3/projects/{project_id}/users/{user_id}/roles'
    add(grant, 'GET', grants, 'list_for')
    add(grant + '/{role_id}', 'PUT', grants, 'grant')
    add(grant + '/{role_id}', 'GET', grants, 'check')
    add(grant + '/{role_id}', 'HEAD', grants, 'check')
    add(grant + '/{role_id}', 'DELETE', grants, 'revoke')
    add('/v3/role_assignments', 'GET', grants, 'assignments')
    ec2_credentials.add_routes(router)
    return router
