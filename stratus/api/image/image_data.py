"""``/v2/images/{id}/file``: upload and download of image data."""
import webob
from oslo_log import log as logging

from stratus import exception
from stratus.api.image import body as req_body
from stratus.api.image import policies
from stratus.api.image import store
from stratus.db import images as db

LOG = logging.getLogger(__name__)

_UPLOAD_TYPES = ('application/octet-stream', '')


class ImageDataController:

    def upload(self, req, image_id):
        context = req.context
        if (req.content_type or '').lower() not in _UPLOAD_TYPES:
            raise webob.exc.HTTPUnsupportedMediaType(
                'Unsupported Content-Type: use application/octet-stream')
        image = db.get_image(context, image_id)
        policies.authorize(context, 'image:upload', image)
        chunks = req_body.data_chunks(req)
        # Claim the image first so that two uploads cannot both write.
        db.update(context, image_id, {'status': 'saving'},
                  expected_status='queued')
        try:
            result = store.write(image_id, chunks)
        except BaseException:
            self._back_to_queued(context, image_id)
            raise
        result['status'] = 'active'
        try:
            db.update(context, image_id, result, expected_status='saving')
        except (exception.ImageNotFound, exception.Conflict):
            # Deleted while its data streamed in: drop the orphan data.
            store.delete(image_id)
            raise
        LOG.info('Image %s: %d bytes stored', image_id, result['size'])
        return webob.Response(status=204)

    def _back_to_queued(self, context, image_id):
        try:
            db.update(context, image_id, {'status': 'queued'},
                      expected_status='saving')
        except (exception.ImageNotFound, exception.Conflict):
            pass

    def download(self, req, image_id):
        image = db.get_image(req.context, image_id)
        if image['status'] != 'active':
            # Glance answers 204 for an image that has no data yet.
            return webob.Response(status=204)
        chunks = store.read(image_id)
        resp = webob.Response(status=200, app_iter=chunks,
                              content_type='application/octet-stream')
        resp.content_length = image['size']
        if image['checksum']:
            resp.headers['Content-MD5'] = image['checksum']
        return resp

