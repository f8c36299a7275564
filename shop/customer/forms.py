"""The shop's sign-in form: a username or an email address, as the README promises.

Oscar's ``EmailAuthenticationForm`` only takes an email address; this one takes
either. ``authenticate`` tries Oscar's ``EmailBackend`` (an address, matched without
case) and Django's ``ModelBackend`` (a username), after django-axes has checked the
sign-in lock (``shop.core.signin``).
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.customer import forms as oscar_forms

# An email address may be up to 254 characters (RFC 5321), a username 150.
MAX_LENGTH = 254


class EmailAuthenticationForm(oscar_forms.EmailAuthenticationForm):
    username = forms.CharField(
        label=_("Email hoặc tên đăng nhập"),
        max_length=MAX_LENGTH,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    def __init__(self, host, *args, **kwargs):
        super().__init__(host, *args, **kwargs)
        # Django's AuthenticationForm narrows the field to the username's 150 characters.
        self.fields["username"].max_length = MAX_LENGTH
        self.fields["username"].widget.attrs["maxlength"] = MAX_LENGTH
