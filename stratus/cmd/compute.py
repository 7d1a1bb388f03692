"""Entry point of stratus-compute."""
from stratus.cmd import common


def main():
    from stratus.compute import manager
    from stratus.db import api as db_api
    db_api.forbid('stratus-compute goes through the conductor')
    common.run_rpc_daemon('stratus-compute', 'compute', manager.ComputeManager)


if __name__ == '__main__':
    main()
