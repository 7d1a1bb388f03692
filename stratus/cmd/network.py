"""Entry point of stratus-network."""
from stratus.cmd import common


def main():
    from stratus.network import manager
    common.run_rpc_daemon('stratus-network', 'network', manager.NetworkManager)


if __name__ == '__main__':
    main()
