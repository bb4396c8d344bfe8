from datetime import date
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError

from practices.models import Practice
from reports.simulator import simulate


class Command(BaseCommand):
    help = (
        "Replay a past period's client cancellations under several allowances "
        "and print a table. Reads only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--practice", required=True, help="practice slug")
        parser.add_argument("--start", required=True, type=date.fromisoformat)
        parser.add_argument("--end", required=True, type=date.fromisoformat)
        parser.add_argument(
            "--allowances", default="0,2,4,6,8,12", help="comma-separated"
        )
        parser.add_argument(
            "--no-shows", action="store_true", help="treat no-shows as absences"
        )
        parser.add_argument(
            "--fee", type=Decimal, help="price every session at this fee"
        )

    def handle(self, *args, **options):
        practice = Practice.objects.filter(slug=options["practice"]).first()
        if practice is None:
            raise CommandError(f"No practice with slug {options['practice']!r}.")
        allowances = [int(n) for n in options["allowances"].split(",")]

        outcomes = simulate(
            practice,
            options["start"],
            options["end"],
            allowances,
            no_shows=options["no_shows"],
            fee=options["fee"],
        )

        currency = practice.currency
        self.stdout.write(
            "| allowance | replayed | planned absences | billable | "
            f"fees as recorded ({currency}) | fees under allowance ({currency}) | "
            "difference |"
        )
        self.stdout.write("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for o in outcomes:
            self.stdout.write(
                f"| {o.allowance} | {o.events:,} | {o.planned:,} | {o.billable:,} | "
                f"{o.recorded_fees:,.2f} | {o.simulated_fees:,.2f} | "
                f"{o.fee_difference:,.2f} |"
            )
