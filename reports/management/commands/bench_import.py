import resource
import sys
import time
import tracemalloc
import uuid
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from appointments.models import Appointment, StatusChange
from clients.models import Case, Client, Membership
from practices.models import Practice, StaffMember
from practices.services import create_practice
from reports.importing import (
    DEFAULT_BATCH_SIZE,
    ErrorReport,
    Importer,
    Mapping,
    MappingError,
)
from reports.management.commands.import_appointments import positive

# The shape of the Vitória file (see shared/data/README.md).
VITORIA = Mapping(
    client_id="PatientId",
    appointment_id="AppointmentID",
    start="AppointmentDay",
    status="No_show",
    status_map={"Yes": "no_show", "No": "attended"},
)


class Command(BaseCommand):
    help = (
        "Import FILE into a fresh scratch practice and report rows per second "
        "and peak memory; the scratch practice is removed afterwards."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--mapping", help="JSON/TOML mapping; default: Vitória")
        parser.add_argument("--batch-size", type=positive, default=DEFAULT_BATCH_SIZE)
        parser.add_argument(
            "--tracemalloc",
            action="store_true",
            help="also measure the Python heap's peak (slower)",
        )
        parser.add_argument("--keep", action="store_true", help="keep the practice")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            mapping = (
                Mapping.from_file(options["mapping"]) if options["mapping"] else VITORIA
            )
            mapping.check()
        except MappingError as error:
            raise CommandError(str(error)) from None
        slug = f"bench-{uuid.uuid4().hex[:8]}"
        practice = create_practice(
            name="Import benchmark", slug=slug, time_zone="America/Sao_Paulo"
        )
        report = ErrorReport(Path("/dev/null"))

        if options["tracemalloc"]:
            tracemalloc.start()
        rss_before = _max_rss_mib()
        started = time.perf_counter()
        try:
            with path.open(newline="", encoding="utf-8-sig") as stream:
                summary = Importer(
                    practice,
                    mapping,
                    now=timezone.now(),
                    errors=report,
                    batch_size=options["batch_size"],
                ).run(stream)
        finally:
            seconds = time.perf_counter() - started
            rss_after = _max_rss_mib()
            heap_peak = None
            if options["tracemalloc"]:
                heap_peak = tracemalloc.get_traced_memory()[1] / 2**20
                tracemalloc.stop()
            report.close()
            if not options["keep"]:
                _remove(practice)

        vendor = connection.vendor
        self.stdout.write(f"Database: {vendor}; file: {path.name}")
        for line in summary.lines():
            self.stdout.write(line)
        self.stdout.write(
            f"Time: {seconds:.1f} s; {summary.rows / seconds:,.0f} rows/s"
        )
        self.stdout.write(
            f"Peak RSS: {rss_after:.0f} MiB (before the import {rss_before:.0f} MiB)"
        )
        if heap_peak is not None:
            self.stdout.write(f"Peak Python heap (tracemalloc): {heap_peak:.1f} MiB")


def _max_rss_mib():
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return peak / (2**20 if sys.platform == "darwin" else 2**10)


@transaction.atomic
def _remove(practice):
    """Delete the scratch practice and everything the import made for it."""
    StatusChange.objects.filter(practice=practice).delete()
    Appointment.objects.filter(practice=practice).delete()
    Case.clinicians.through.objects.filter(case__practice=practice).delete()
    Membership.objects.filter(practice=practice).delete()
    Case.objects.filter(practice=practice).delete()
    Client.objects.filter(practice=practice).delete()
    users = [s.user for s in StaffMember.objects.filter(practice=practice)]
    StaffMember.objects.filter(practice=practice).delete()
    for user in users:
        user.delete()
    Practice.objects.filter(pk=practice.pk).delete()
