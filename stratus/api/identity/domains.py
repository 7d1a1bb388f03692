"""``/v3/domains``: the one, read-only, default domain."""
from stratus import exception
from stratus.api.identity import policies
from stratus.api.identity import views
from stratus.identity import domains


class DomainsController:

    def index(self, req):
        policies.authorize(req, 'identity:list_domains')
        name = req.params.get('name')
        rows = [] if name not in (None, domains.DEFAULT['name']) \
            else [views.domain(req)]
        return {'domains': rows, 'links': views.collection_links(req)}

    def show(self, req, domain_id):
        policies.authorize(req, 'identity:get_domain')
        if domain_id != domains.DEFAULT_ID:
            raise exception.NotFound('Could not find domain: %s.' %
                                     domain_id)
        return {'domain': views.domain(req)}
