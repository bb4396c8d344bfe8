from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from practices.models import Practice, StaffRole
from practices.services import add_staff_member


class Command(BaseCommand):
    help = "Give a staff member of a practice a sign-in."

    def add_arguments(self, parser):
        parser.add_argument("--practice", required=True, help="the practice's slug")
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--role", required=True, choices=StaffRole.values)
        parser.add_argument("--password", required=True)

    def handle(self, *args, **options):
        practice = Practice.objects.filter(slug=options["practice"]).first()
        if practice is None:
            raise CommandError(f"No practice with the slug {options['practice']!r}.")

        try:
            member = add_staff_member(
                practice,
                email=options["email"],
                name=options["name"],
                role=options["role"],
                password=options["password"],
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            f"Added {member.get_role_display().lower()} {member.user.username} "
            f"to {practice.slug}."
        )
