"""Logging filters that keep clients' names out of the logs."""

import logging
import re

QUERY_STRING = re.compile(r"\?[^\s\"]*")


class RedactQueryStrings(logging.Filter):
    """Drop query strings from request lines: a search may hold a name."""

    def filter(self, record):
        if record.args and isinstance(record.args, tuple):
            record.args = tuple(
                QUERY_STRING.sub("?[redacted]", arg) if isinstance(arg, str) else arg
                for arg in record.args
            )
        return True
