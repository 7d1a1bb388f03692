"""``POST /servers/{id}/action``: reboot, stop, start, console output."""
from stratus import exception
from stratus import policy
from stratus.api.compute import common
from stratus.api.compute import policies
from stratus.api.schemas import servers as schemas
from stratus.compute import api as compute_api


class ServerActionsController:
    def __init__(self, api=None):
        self.compute_api = api or compute_api.API()
        self._actions = {
            'reboot': (schemas.reboot, policies.SERVERS_REBOOT,
                       self._reboot),
            'os-stop': (schemas.stop, policies.SERVERS_STOP, self._stop),
            'os-start': (schemas.start, policies.SERVERS_START,
                         self._start),
            'os-getConsoleOutput': (schemas.console_output,
                                    policies.CONSOLE_OUTPUT,
                                    self._console_output),
        }

    def action(self, req, id):
        body = req.json()
        if len(body) != 1:
            raise exception.Invalid(reason='Exactly one action is expected '
                                           'in the request body.')
        name = next(iter(body))
        if name not in self._actions:
            raise exception.Invalid(reason='There is no such action: %s' %
                                    name)
        schema, rule, handler = self._actions[name]
        common.validate(schema, body)
        ctxt = req.context
        inst = self.compute_api.get(ctxt, id)
        policy.authorize(ctxt, rule, {'project_id': inst['project_id'],
                                      'user_id': inst['user_id']})
        return handler(req, id, body[name] or {})

    def _reboot(self, req, id, args):
        self.compute_api.reboot(req.context, id, args['type'].upper())
        return 202, None

    def _stop(self, req, id, args):
        self.compute_api.stop(req.context, id)
        return 202, None

    def _start(self, req, id, args):
        self.compute_api.start(req.context, id)
        return 202, None

    def _console_output(self, req, id, args):
        length = args.get('length')
        if length is not None:
            length = int(length)
            if length < -1:
                raise exception.ValidationError(
                    field='length', reason='Must be -1 or more.')
            if length == -1:
                length = None
        output = self.compute_api.get_console_output(req.context, id,
                                                     length=length)
        return {'output': output or ''}
