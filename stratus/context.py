"""Request context carried from the API through every RPC hop."""
from oslo_context import context as o_context


class RequestContext(o_context.RequestContext):
    """oslo.context's context plus the few fields Stratus needs.

    ``request_id`` (``req-<uuid>``) and ``global_request_id`` come from
    oslo.context and are printed on every log line by oslo.log.
    """

    def __init__(self, user_name=None, project_name=None, roles=None,
                 **kwargs):
        kwargs.setdefault('user_name', user_name)
        kwargs.setdefault('project_name', project_name)
        super().__init__(roles=roles or [], **kwargs)

    def to_dict(self):
        values = super().to_dict()
        values['user_name'] = self.user_name
        values['project_name'] = self.project_name
        return values

    @classmethod
    def from_dict(cls, values):
        values = dict(values)
        return cls(
            user_id=values.get('user_id') or values.get('user'),
            project_id=values.get('project_id') or values.get('tenant'),
            user_name=values.get('user_name'),
            project_name=values.get('project_name'),
            roles=values.get('roles'),
            is_admin=values.get('is_admin', False),
            request_id=values.get('request_id'),
            global_request_id=values.get('global_request_id'),
            auth_token=values.get('auth_token'),
            read_only=values.get('read_only', False),
            show_deleted=values.get('show_deleted', False),
        )

    def elevated(self):
        ctx = self.from_dict(self.to_dict())
        ctx.is_admin = True
        if 'admin' not in ctx.roles:
            ctx.roles = list(ctx.roles) + ['admin']
        return ctx


def get_admin_context(request_id=None):
    """A context for a daemon's own work (periodic tasks, start-up)."""
    kwargs = {'request_id': request_id} if request_id else {}
    return RequestContext(is_admin=True, roles=['admin'], overwrite=False,
                          **kwargs)
