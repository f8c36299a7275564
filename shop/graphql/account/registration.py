"""Creating a customer account through the API (``accountRegister``).

Rules:

* The account is made as the shop's own sign-up page makes it: Oscar's
  ``EmailUserCreationForm`` (email normalised, unique without case, Django's
  password validators of ``AUTH_PASSWORD_VALIDATORS``, a generated username),
  then Oscar's ``user_registered`` signal and, when
  ``OSCAR_SEND_REGISTRATION_EMAIL`` (default on), Oscar's welcome email.
* First and last name are kept; the language, redirect URL and metadata a Saleor
  client may send have nowhere to live in an Oscar account and are ignored.
* The shop needs no email confirmation (the web sign-up signs the customer in at
  once), so ``requiresConfirmation`` is false and the account is active.
* A ``channel`` other than the shop's one is refused (``NOT_FOUND``).
* Refusals use Saleor's codes: ``REQUIRED``/``INVALID`` (email), ``UNIQUE`` (an
  account has this email), ``PASSWORD_TOO_SHORT``/``PASSWORD_TOO_COMMON``/
  ``PASSWORD_ENTIRELY_NUMERIC``/``PASSWORD_TOO_SIMILAR`` (Django's validator
  codes), ``INVALID_PASSWORD`` for any other password rule.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from oscar.apps.customer.signals import user_registered
from oscar.core.loading import get_class

from shop.graphql.channel import channels
from shop.graphql.core.errors import InputError, InputErrors

EmailUserCreationForm = get_class("customer.forms", "EmailUserCreationForm")
RegisterUserMixin = get_class("customer.mixins", "RegisterUserMixin")

PASSWORD_CODES = {
    "password_too_short": "PASSWORD_TOO_SHORT",
    "password_too_common": "PASSWORD_TOO_COMMON",
    "password_entirely_numeric": "PASSWORD_ENTIRELY_NUMERIC",
    "password_too_similar": "PASSWORD_TOO_SIMILAR",
}
NAME_MAX = 150


def _errors(form):
    found = []
    for field, errors in form.errors.as_data().items():
        for error in errors:
            for item in error.error_list:
                message = " ".join(str(m) for m in item.messages)
                if field == "email":
                    if item.code == "required":
                        code = "REQUIRED"
                    elif item.code is None:  # Oscar's clean_email: the address is taken
                        code, message = "UNIQUE", _("Đã có tài khoản dùng email này.")
                    else:
                        code = "INVALID"
                    found.append(InputError("email", code, message))
                elif field in ("password1", "password2"):
                    code = PASSWORD_CODES.get(item.code or "", "INVALID_PASSWORD")
                    found.append(InputError("password", code, message))
                else:
                    found.append(InputError(None, "INVALID", message))
    return found


def register(request, email, password, first_name=None, last_name=None, channel=None):
    """The new active user, or InputError(s)."""
    if channel is not None and not channels.exists(channel):
        raise InputError("channel", "NOT_FOUND",
                         _("Không có kênh bán có slug '%(slug)s'.") % {"slug": channel})
    email = str(email or "").strip()
    if not password:
        raise InputError("password", "REQUIRED", _("Hãy nhập mật khẩu."))
    for field, value in (("firstName", first_name), ("lastName", last_name)):
        if value is not None and len(value) > NAME_MAX:
            raise InputError(field, "INVALID",
                             _("Tên dài quá %(max)s ký tự.") % {"max": NAME_MAX})
    form = EmailUserCreationForm(
        data={"email": email, "password1": password, "password2": password, "redirect_url": ""},
        host=request.get_host(),
    )
    # the password validators see the names too (UserAttributeSimilarityValidator)
    form.instance.first_name = first_name or ""
    form.instance.last_name = last_name or ""
    if not form.is_valid():
        errors = _errors(form)
        raise InputErrors(errors or [InputError(None, "INVALID", _("Không tạo được tài khoản."))])
    user = form.save(commit=False)
    user.first_name = (first_name or "").strip()
    user.last_name = (last_name or "").strip()
    user.save()
    user_registered.send_robust(sender=register, request=request, user=user)
    if getattr(settings, "OSCAR_SEND_REGISTRATION_EMAIL", True):
        mixin = RegisterUserMixin()
        mixin.request = request
        mixin.send_registration_email(user)
    return user
