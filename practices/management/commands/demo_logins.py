from django.core.management.base import BaseCommand

from practices.demo import DEMO_SLUG, demo_sign_ins
from practices.models import Practice


class Command(BaseCommand):
    help = "Print the demo practice's sign-ins."

    def handle(self, *args, **options):
        if not Practice.objects.filter(slug=DEMO_SLUG).exists():
            self.stdout.write("No demo practice in this database.")
            return

        self.stdout.write("")
        self.stdout.write("PracticeRunner demo sign-ins (password for all below):")
        self.stdout.write("  Staff:  http://127.0.0.1:8000/accounts/login/")
        self.stdout.write("  Portal: http://127.0.0.1:8000/portal/")
        for role, email, password in demo_sign_ins():
            self.stdout.write(f"  {role:<30} {email:<40} {password}")
        self.stdout.write("")
