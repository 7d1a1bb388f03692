"""Entry point of stratus-volume."""
from stratus.cmd import common


def main():
    from stratus.volume import manager
    common.run_rpc_daemon('stratus-volume', 'volume', manager.VolumeManager)


if __name__ == '__main__':
    main()
