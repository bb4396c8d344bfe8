from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from practices.models import StaffRole
from practices.services import add_staff_member, create_practice


class Command(BaseCommand):
    help = "Create a practice and its owner's sign-in."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--slug", required=True)
        parser.add_argument("--time-zone", required=True, help="IANA name")
        parser.add_argument("--currency", default="USD")
        parser.add_argument("--owner-email", required=True)
        parser.add_argument("--owner-name", default="Practice owner")
        parser.add_argument("--owner-password", required=True)

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                practice = self.create(options)
        except ValidationError as error:
            messages = "; ".join(
                f"{field}: {' '.join(errors)}"
                for field, errors in error.message_dict.items()
            )
            raise CommandError(messages) from None
        self.stdout.write(f"Created practice {practice.slug} (id {practice.pk}).")

    def create(self, options):
        practice = create_practice(
            name=options["name"],
            slug=options["slug"],
            time_zone=options["time_zone"],
            currency=options["currency"],
        )
        add_staff_member(
            practice,
            email=options["owner_email"],
            name=options["owner_name"],
            role=StaffRole.OWNER,
            password=options["owner_password"],
        )
        return practice
