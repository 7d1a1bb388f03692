"""Entry point of stratus-conductor."""
from stratus.cmd import common


def main():
    from stratus.conductor import manager
    common.run_rpc_daemon('stratus-conductor', 'conductor', manager.ConductorManager)


if __name__ == '__main__':
    main()
