import logging

from practicerunner.logfilters import RedactQueryStrings


def test_it_drops_query_strings_from_request_lines():
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        ("GET /clients/?q=Ines+Brooks HTTP/1.1", "200", "1227"),
        None,
    )

    RedactQueryStrings().filter(record)

    assert record.getMessage() == '"GET /clients/?[redacted] HTTP/1.1" 200 1227'
