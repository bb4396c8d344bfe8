from django.core.management.base import BaseCommand, CommandError

from practices.models import Practice
from reports.forms import SimulatorForm
from reports.simulator import simulate

# The form's fields and the options that fill them, for error messages.
OPTIONS = {
    "start": "--start",
    "end": "--end",
    "allowances": "--allowances",
    "fee": "--fee",
    "no_shows": "--no-shows",
}


class Command(BaseCommand):
    help = (
        "Replay a past period's client cancellations under several allowances "
        "and print a table. Reads only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--practice", required=True, help="practice slug")
        parser.add_argument("--start", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--end", required=True, help="last day, YYYY-MM-DD")
        parser.add_argument(
            "--allowances", default="0,2,4,6,8,12", help="comma-separated, 0 to 52"
        )
        parser.add_argument(
            "--no-shows", action="store_true", help="treat no-shows as absences"
        )
        parser.add_argument("--fee", help="price every session at this fee")

    def handle(self, *args, **options):
        data = self.validated(options)
        practice = Practice.objects.filter(slug=options["practice"]).first()
        if practice is None:
            raise CommandError(f"No practice with slug {options['practice']!r}.")

        outcomes = simulate(
            practice,
            data["start"],
            data["end"],
            data["allowances"],
            no_shows=data["no_shows"],
            fee=data["fee"],
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

    def validated(self, options):
        """Check the options with the web form's rules; one line if wrong."""
        form = SimulatorForm(
            {
                "start": options["start"],
                "end": options["end"],
                "allowances": options["allowances"],
                "no_shows": options["no_shows"],
                "fee": options["fee"] or "",
            }
        )
        if form.is_valid():
            return form.cleaned_data
        problems = []
        for name, messages in form.errors.items():
            where = OPTIONS.get(name)
            text = " ".join(messages)
            problems.append(f"{where}: {text}" if where else text)
        raise CommandError(" ".join(problems))
