"""CSV files for people to open in a spreadsheet.

A cell that starts with =, +, -, @, a tab or a carriage return is read by
spreadsheets as a formula, so a client called "=HYPERLINK(...)" could run
one on the reader's machine. Every CSV the reports app writes goes through
`safe_row`, which prefixes such text with a single quote. Numbers are left
alone: a negative amount is a number, not a formula.
"""

import csv

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(row):
    return [safe_cell(value) for value in row]


def csv_response(filename, header, rows):
    """Return a CSV download of `rows` under `header`, neutralised."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(safe_row(header))
    writer.writerows(safe_row(row) for row in rows)
    return response
