from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm

from clients.models import Client


class SignInForm(AuthenticationForm):
    """Sign in with the email address the practice invited."""

    username = forms.EmailField(
        label="Email",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "That email and password do not match a portal account.",
        "not_client": "That email and password do not match a portal account.",
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not Client.objects.filter(portal_user=user).exists():
            raise forms.ValidationError(
                self.error_messages["not_client"], code="not_client"
            )


class PortalPasswordResetForm(PasswordResetForm):
    """Send reset links only to sign-ins linked to a client.

    Unlike Django's form, an invited client who never set a password may
    ask again: the link sets their first password.
    """

    def get_users(self, email):
        return get_user_model().objects.filter(
            email__iexact=email.strip(), is_active=True, client__isnull=False
        )


class RescheduleForm(forms.Form):
    """The slot a client picked, and the start they saw when they picked it."""

    start = forms.DateTimeField(error_messages={"required": "Please pick a new time."})
    expected_start = forms.DateTimeField()
