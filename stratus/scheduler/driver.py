"""Host selection drivers: ``[scheduler] driver`` picks one."""
import abc

from oslo_log import log as logging

from stratus import exception

LOG = logging.getLogger(__name__)


class Driver(abc.ABC):
    @abc.abstractmethod
    def select(self, spec, host_states, num_instances):
        """Choose a host for each of ``num_instances`` instances.

        :param spec: the request spec (``flavor``, ``availability_zone``,
            ``retry``, ``scheduler_hints``...), prepared by the host
            manager (``group``, ``same_host_hosts``...).
        :returns: a list of HostStates, one per instance, each already
            charged with that instance.
        :raises: NoValidHost when not every instance fits.
        """


def no_valid_host(num, found):
    if found:
        reason = 'Only %d of %d instances could be placed.' % (found, num)
    else:
        reason = 'There are not enough hosts available.'
    return exception.NoValidHost(reason=reason)


def forced_hosts(spec, host_states):
    """The hosts an admin forced with ``zone:host`` (``force_hosts`` hint),
    or None when the request forces none.

    :raises: NoValidHost when a forced host is unknown, down or disabled.
    """
    forced = (spec.get('scheduler_hints') or {}).get('force_hosts')
    if not forced:
        return None
    if isinstance(forced, str):
        forced = [forced]
    by_name = {h.host: h for h in host_states}
    chosen = []
    for name in forced:
        state = by_name.get(name)
        if state is None or not state.up:
            raise exception.NoValidHost(
                reason='Host %s is not up or doesn\'t exist.' % name)
        chosen.append(state)
    LOG.info('Request forces host(s) %s', forced)
    return chosen


def record_choice(spec, state, flavor):
    """Charge ``state`` with one instance and remember it for the group
    filters of the next instance of the same request."""
    state.consume(flavor)
    group = spec.get('group')
    if group is not None:
        group['hosts'][state.host] = group['hosts'].get(state.host, 0) + 1


def load(name):
    if name == 'chance':
        from stratus.scheduler import chance
        return chance.ChanceDriver()
    if name == 'simple':
        from stratus.scheduler import simple
        return simple.SimpleDriver()
    if name == 'filter':
        from stratus.scheduler import filter_scheduler
        return filter_scheduler.FilterDriver()
    raise ValueError('Unknown scheduler driver %r' % name)
