from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from practices.demo import load_demo
from practices.models import Practice


class Command(BaseCommand):
    help = "Build the demo practice (deterministic for a given --seed)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--force",
            action="store_true",
            help="Add the demo even though the database already holds practices.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing, successfully, when the database holds practices.",
        )

    def handle(self, *args, **options):
        if Practice.objects.exists() and not options["force"]:
            if options["if_empty"]:
                self.stdout.write("The database already holds data; demo not loaded.")
                return
            raise CommandError(
                "The database already holds practices; use --force to add the demo."
            )
        if Practice.objects.filter(slug="demo").exists():
            raise CommandError("A practice with the slug 'demo' already exists.")

        practice = load_demo(now=timezone.now(), seed=options["seed"])
        count = practice.appointment_set.count()
        self.stdout.write(f"Loaded the demo practice with {count} appointments.")
