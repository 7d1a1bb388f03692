"""The admin overview: hypervisors' use as bars, services up or down.

Both come from admin-only compute APIs; a member gets their 403 as a page.
"""


def overview(ctx):
    hypervisors = ctx.cloud.get('compute', '/os-hypervisors/detail'
                                )['hypervisors']
    services = ctx.cloud.get('compute', '/os-services')['services']
    hypervisors.sort(key=lambda h: h.get('hypervisor_hostname') or '')
    services.sort(key=lambda s: (s.get('binary') or '', s.get('host') or ''))
    return ctx.render('admin.html', hypervisors=hypervisors,
                      services=services,
                      down=[s for s in services if s.get('state') != 'up'])
