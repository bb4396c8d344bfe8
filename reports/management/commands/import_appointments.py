import argparse
import codecs
import shutil
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from practices.models import Practice
from reports.importing import (
    DEFAULT_BATCH_SIZE,
    ErrorReport,
    Importer,
    Mapping,
    MappingError,
    parse_status_map,
)

# Command-line options that set a mapping field, by field name.
COLUMN_OPTIONS = {
    "client_id": "--client-id-column",
    "client_name": "--client-name-column",
    "case": "--case-column",
    "clinician": "--clinician-column",
    "appointment_id": "--appointment-id-column",
    "start": "--start-column",
    "end": "--end-column",
    "status": "--status-column",
}


DEFAULT_ENCODING = "utf-8-sig"


def first_undecodable_line(path, encoding):
    """Return the number of the first line `encoding` cannot read, or None.

    Read before importing, so a file in the wrong encoding stops the import
    before a row is saved instead of part-way through.
    """
    decoder = codecs.getincrementaldecoder(encoding)()
    with open(path, "rb") as stream:
        for number, line in enumerate(stream, start=1):
            try:
                decoder.decode(line)
            except UnicodeDecodeError:
                return number
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return number
    return None


def positive(text):
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number >= 1, not {text!r}")
    return value


def count_rows(path):
    """Count the data rows cheaply, for the progress bar's time left."""
    with open(path, "rb") as stream:
        return max(
            0,
            sum(chunk.count(b"\n") for chunk in iter(lambda: stream.read(1 << 20), b""))
            - 1,
        )


class Command(BaseCommand):
    help = (
        "Import appointments from a CSV file into a practice. See docs/import.md "
        "for the column mapping (options or a JSON/TOML mapping file)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--practice", required=True, help="practice slug")
        parser.add_argument("--mapping", help="JSON or TOML mapping file")
        for name, option in COLUMN_OPTIONS.items():
            parser.add_argument(option, dest=name)
        parser.add_argument(
            "--status-map",
            action="append",
            metavar="VALUE=STATUS",
            help=(
                "e.g. Yes=no_show (repeat; statuses by value or label); adds to "
                "or overrides single entries of the mapping file's map"
            ),
        )
        parser.add_argument("--date-format", help="strptime format; default ISO")
        parser.add_argument("--default-time", help="HH:MM for date-only starts")
        parser.add_argument(
            "--default-length", type=int, help="minutes, when there is no end"
        )
        parser.add_argument("--default-clinician", help="clinician's name")
        parser.add_argument("--case-kind", help="kind of the cases created")
        parser.add_argument("--session-fee", help="fee of the cases created")
        parser.add_argument("--delimiter", help="field separator; default ','")
        parser.add_argument(
            "--encoding",
            default=DEFAULT_ENCODING,
            help="the file's encoding, e.g. latin-1; default UTF-8",
        )
        parser.add_argument("--batch-size", type=positive, default=DEFAULT_BATCH_SIZE)
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument(
            "--errors", help="error report path (default: FILE stem + .errors.csv)"
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            mapping = self.mapping(options)
            mapping.check()
        except MappingError as error:
            raise CommandError(str(error)) from None
        self.check_encoding(path, options["encoding"])
        practice = Practice.objects.filter(slug=options["practice"]).first()
        if practice is None:
            raise CommandError(f"No practice with slug {options['practice']!r}.")

        errors_path = Path(options["errors"] or f"{path.stem}.errors.csv")
        report = ErrorReport(errors_path)
        stale = errors_path.is_file()
        try:
            report.open()
        except OSError as error:
            raise CommandError(
                f"Cannot write the error report {errors_path}: "
                f"{error.strerror or error}. Nothing was imported."
            ) from None
        try:
            summary = self.run(practice, mapping, path, report, options)
        finally:
            report.close()

        for line in summary.lines():
            self.stdout.write(line)
        if summary.failed_rows:
            self.stdout.write(f"Error report: {errors_path}")
            raise CommandError(f"{summary.failed_rows} row(s) failed.", returncode=2)
        if report.discard() and stale:
            self.stdout.write(f"No errors: removed the old error report {errors_path}.")
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was written.")

    def check_encoding(self, path, encoding):
        try:
            name = codecs.lookup(encoding).name
        except LookupError:
            raise CommandError(f"Unknown encoding {encoding!r}.") from None
        line = first_undecodable_line(path, encoding)
        if line is None:
            return
        if name.startswith("utf-8"):
            raise CommandError(
                f"{path} is not UTF-8 (line {line}); save it as UTF-8 or pass "
                "--encoding latin-1."
            )
        raise CommandError(f"{path} is not {encoding} (line {line}).")

    def mapping(self, options):
        if options["mapping"]:
            mapping = Mapping.from_file(options["mapping"])
        else:
            mapping = Mapping()
        status_map = None
        if options["status_map"]:
            status_map = parse_status_map(options["status_map"])
        return mapping.updated(
            **{name: options[name] for name in COLUMN_OPTIONS},
            status_map=status_map,
            date_format=options["date_format"],
            default_time=options["default_time"],
            default_length=options["default_length"],
            default_clinician=options["default_clinician"],
            case_kind=options["case_kind"],
            session_fee=options["session_fee"],
            delimiter=options["delimiter"],
        )

    def run(self, practice, mapping, path, report, options):
        show = not options["no_progress"] and sys.stderr.isatty()
        columns, lines = shutil.get_terminal_size()
        total = count_rows(path) if show else None
        bar = tqdm(
            total=total,
            unit="rows",
            disable=not show,
            file=sys.stderr,
            smoothing=0.1,
            # A terminal that reports no size (0x0) would get no bar at all.
            ncols=columns,
            nrows=lines,
        )
        importer = Importer(
            practice,
            mapping,
            now=timezone.now(),
            errors=report,
            batch_size=options["batch_size"],
            dry_run=options["dry_run"],
            progress=bar.update,
        )
        try:
            with path.open(newline="", encoding=options["encoding"]) as stream:
                return importer.run(stream)
        except MappingError as error:
            raise CommandError(str(error)) from None
        finally:
            bar.close()
