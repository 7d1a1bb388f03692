"""Host selection drivers: ``[scheduler] driver`` picks one."""
import abc

from stratus import exception


class Driver(abc.ABC):
    @abc.abstractmethod
    def select(self, spec, host_states, num_instances):
        """Choose a host for each of ``num_instances`` instances.

        :param spec: the request spec (``flavor``, ``availability_zone``,
            ``retry``, ``scheduler_hints``...).
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
