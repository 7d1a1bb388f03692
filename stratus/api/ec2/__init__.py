"""The EC2 query API (``/services/Cloud``), served to boto3."""
