"""Entry point of stratus-api: identity, image and compute APIs."""
import sys

from stratus.cmd import common


def main():
    from stratus import service
    from stratus.api import service as api_service
    common.setup(sys.argv, 'stratus-api')
    server = service.Service('stratus-api', None, api_service.APIManager())
    sys.exit(service.serve(server))


if __name__ == '__main__':
    main()
