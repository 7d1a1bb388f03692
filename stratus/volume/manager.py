"""Server side of the volume daemon (topic ``volume``, server = host).

Volumes themselves come with the volume service's own work (issue 5).
"""
import oslo_messaging as messaging

from stratus import servicegroup


class VolumeManager:
    target = messaging.Target(version='1.0')

    def __init__(self):
        self.reporter = servicegroup.DbReporter()

    def ping(self, context):
        return 'pong'
