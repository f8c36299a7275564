# The Celery application is loaded with Django, so that tasks sent from the web
# processes use the shop's broker settings (shop.celery).
from .celery import app as celery_app

__all__ = ["celery_app"]
