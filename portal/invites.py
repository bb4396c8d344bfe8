"""Inviting a client to the portal: a sign-in and a one-time link by email.

The link is Django's password reset token: it works once (setting the
password changes the hash it is made from) and expires after
PASSWORD_RESET_TIMEOUT.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from clients.models import Client

logger = logging.getLogger(__name__)


class InviteError(Exception):
    """The client cannot be invited; `message` says why, for staff."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def link_portal_user(client):
    """Return the client's sign-in, creating or linking it by email."""
    email = client.email.strip().lower()
    if not email:
        raise InviteError("Add the client's email address before inviting them.")

    with transaction.atomic():
        client = Client.objects.select_for_update().get(pk=client.pk)
        if client.portal_user_id is not None:
            return client.portal_user

        users = get_user_model().objects
        user = users.filter(username=email).first()
        if user is None:
            user = users.create_user(username=email, email=email, password=None)
        elif hasattr(user, "staff") or Client.objects.filter(portal_user=user).exists():
            raise InviteError(
                "Someone else already signs in with this email address. "
                "Use another address for this client."
            )
        client.portal_user = user
        client.save(update_fields=["portal_user"])
    return user


def set_password_url(user, base_url):
    """Return the absolute one-time link that sets `user`'s password."""
    path = reverse(
        "portal:set_password",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return base_url.rstrip("/") + path


def send_invite(client, user, base_url):
    """Email the client their link. A failure is logged and reported."""
    practice = client.practice
    body = render_to_string(
        "portal/emails/invite.txt",
        {
            "practice": practice,
            "link": set_password_url(user, base_url),
            "sign_in": base_url.rstrip("/") + reverse("portal:sign_in"),
            "days": settings.PASSWORD_RESET_TIMEOUT // (24 * 3600),
        },
    )
    try:
        send_mail(
            f"Your {practice.name} client portal",
            body,
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        )
    except Exception:
        logger.exception("Invite email failed: client=%s", client.pk)
        raise InviteError(
            "The invitation email could not be sent. Please try again later."
        ) from None
    logger.info("Portal invitation sent: client=%s user=%s", client.pk, user.pk)
