import statistics
import time
from datetime import UTC, datetime, timedelta

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from appointments import services
from appointments.models import Appointment
from practicerunner import testing


class _RollBack(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Time portal cancellations and usage counts on a case with a long "
        "history. Everything it writes is rolled back."
    )

    def add_arguments(self, parser):
        parser.add_argument("--history", type=int, default=5000)
        parser.add_argument("--runs", type=int, default=200)

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                self.bench(options["history"], options["runs"])
                raise _RollBack
        except _RollBack:
            pass

    def bench(self, history, runs):
        now = datetime(2026, 6, 1, 12, tzinfo=UTC)
        practice = testing.build_practice(slug="bench-allowance")
        clinician = testing.build_staff(practice)
        client = testing.build_client(practice, "Bench Client", portal=True)
        case = testing.build_case(practice, members=[client], override=52)
        statuses = ["attended", "planned_absence", "no_show", "canceled_by_client"]
        Appointment.objects.bulk_create(
            Appointment(
                practice=practice,
                case=case,
                clinician=clinician,
                start=now - timedelta(hours=n + 1),
                end=now - timedelta(hours=n),
                status=statuses[n % 4],
            )
            for n in range(history)
        )
        upcoming = [
            testing.build_appointment(
                case, now + timedelta(days=n + 1), clinician=clinician
            )
            for n in range(runs)
        ]

        cancel_times, queries = [], 0
        for appointment in upcoming:
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                services.request_cancellation(
                    client.portal_user, appointment.pk, now=now
                )
                cancel_times.append(time.perf_counter() - started)
            queries = len(captured)

        usage_times = []
        for _ in range(runs):
            started = time.perf_counter()
            services.case_usage(case, 2026)
            usage_times.append(time.perf_counter() - started)

        self.stdout.write(f"database: {connection.vendor}; history: {history} sessions")
        self.report("request_cancellation", cancel_times, f"{queries} queries each")
        self.report("case_usage", usage_times, "")

    def report(self, name, times, note):
        ms = sorted(t * 1000 for t in times)
        p95 = ms[int(len(ms) * 0.95) - 1]
        self.stdout.write(
            f"{name:<22} median {statistics.median(ms):.2f} ms, "
            f"p95 {p95:.2f} ms over {len(ms)} runs {note}"
        )
