"""Route table of the image API."""
from stratus.api import auth
from stratus.api import openapi
from stratus.api import wsgi
from stratus.api.image import image_data
from stratus.api.image import images
from stratus.api.image import schemas
from stratus.api.image import versions


def create_router():
    """:returns: the WSGI application of the image API."""
    router = wsgi.Router('image', fault_body=wsgi.nova_fault_body,
                         authenticate=auth.authenticate)
    add = router.add
    ver = versions.VersionsController()
    add('/', 'GET', ver, 'index', public=True)
    add('/versions', 'GET', ver, 'list', public=True)

    img = images.ImagesController()
    add('/v2/images', 'GET', img, 'index')
    add('/v2/images', 'POST', img, 'create')
    add('/v2/images/{image_id}', 'GET', img, 'show')
    add('/v2/images/{image_id}', 'PATCH', img, 'update')
    add('/v2/images/{image_id}', 'DELETE', img, 'delete')

    data = image_data.ImageDataController()
    add('/v2/images/{image_id}/file', 'PUT', data, 'upload')
    add('/v2/images/{image_id}/file', 'GET', data, 'download')

    sch = schemas.SchemasController()
    add('/v2/schemas/image', 'GET', sch, 'image')
    add('/v2/schemas/images', 'GET', sch, 'images')
    openapi.add_route(router, 'image')
    return router
