"""Entry point of stratus-scheduler."""
from stratus.cmd import common


def main():
    from stratus.scheduler import manager
    common.run_rpc_daemon('stratus-scheduler', 'scheduler', manager.SchedulerManager)


if __name__ == '__main__':
    main()
