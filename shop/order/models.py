from oscar.apps.order.models import *  # noqa: F401,F403
