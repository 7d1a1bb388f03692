from oslo_log import log as logging

from stratus.scheduler import filters

LOG = logging.getLogger(__name__)

# Image property names (current and legacy) -> what the host offers.
_ARCH_KEYS = ('hw_architecture', 'architecture')
_HV_KEYS = ('img_hv_type', 'hypervisor_type')
# A KVM request runs on a QEMU host (libvirt reports QEMU for both).
_HV_ALIASES = {'kvm': 'qemu'}


def _wanted(props, keys):
    for key in keys:
        if props.get(key):
            return str(props[key]).lower()
    return None


class ImagePropertiesFilter(filters.BaseHostFilter):
    """Passes hosts whose architecture and hypervisor type match the
    image's ``architecture`` and ``hypervisor_type`` properties."""

    def applies(self, spec):
        props = (spec.get('image') or {}).get('properties') or {}
        return bool(_wanted(props, _ARCH_KEYS) or _wanted(props, _HV_KEYS))

    def passing_rows(self, table, rows, spec):
        props = spec['image'].get('properties') or {}
        arch = _wanted(props, _ARCH_KEYS)
        if arch:
            rows = table.where(rows, table.arch, table.arch_codes, arch)
        hv_type = _wanted(props, _HV_KEYS)
        if hv_type:
            rows = table.where(rows, table.hv_type, table.hv_type_codes,
                               _HV_ALIASES.get(hv_type, hv_type))
        return rows

    def host_passes(self, host_state, spec):
        props = spec['image'].get('properties') or {}
        arch = _wanted(props, _ARCH_KEYS)
        if arch and arch != str(host_state.arch or '').lower():
            LOG.debug('%s is %s, image wants %s', host_state.host,
                      host_state.arch, arch)
            return False
        hv_type = _wanted(props, _HV_KEYS)
        have = str(host_state.hypervisor_type or '').lower()
        if hv_type and _HV_ALIASES.get(hv_type, hv_type) != have:
            LOG.debug('%s runs %s, image wants %s', host_state.host,
                      host_state.hypervisor_type, hv_type)
            return False
        return True
