"""The public portal and REST API (``rights serve``): a thin front end over the operations."""
