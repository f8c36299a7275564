"""Oscar's ``RegisterUserMixin`` with the request passed to ``authenticate``.

Oscar signs a new customer in with ``authenticate(username=..., password=...)`` and no
request; django-axes (``shop.core.signin``) needs the request of every sign-in. The rest is
Oscar's code as it is (``oscar.apps.customer.mixins``).
"""

import logging

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth import login as auth_login
from oscar.apps.customer import mixins as oscar_mixins
from oscar.apps.customer.signals import user_registered
from oscar.core.compat import get_user_model

User = get_user_model()
logger = logging.getLogger("oscar.customer")


class RegisterUserMixin(oscar_mixins.RegisterUserMixin):
    def register_user(self, form):
        user = form.save()
        user_registered.send_robust(sender=self, request=self.request, user=user)
        if getattr(settings, "OSCAR_SEND_REGISTRATION_EMAIL", True):
            self.send_registration_email(user)
        try:
            user = authenticate(
                self.request, username=user.email, password=form.cleaned_data["password1"]
            )
        except User.MultipleObjectsReturned:
            # The same form sent twice at once: keep the first account (as Oscar does).
            logger.warning(
                "Multiple users with identical email address and password"
                "were found. Marking all but one as not active."
            )
            users = User.objects.filter(email=user.email)
            user = users[0]
            user.backend = "oscar.apps.customer.auth_backends.EmailBackend"
            for other in users[1:]:
                other.is_active = False
                other.save()
        auth_login(self.request, user)
        return user
