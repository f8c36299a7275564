import oscar.apps.customer.apps as apps


class CustomerConfig(apps.CustomerConfig):
    """Oscar's customer app, forked so that the sign-in form takes a username or an email.

    Only ``forms.EmailAuthenticationForm`` differs (Oscar's ``get_class`` finds it here);
    the backends (Oscar's ``EmailBackend``, Django's ``ModelBackend``) accept either.
    """

    name = "shop.customer"
