"""The Celery application of the shop: background work and the daily jobs.

Rules:

* The broker is ``settings.CELERY_BROKER_URL`` (Redis, or RabbitMQ). With none
  configured every task runs inline, in the process that sends it
  (``CELERY_TASK_ALWAYS_EAGER``): ``make run`` and the tests need no worker.
* Tasks live in the apps' ``tasks.py`` modules (found by ``autodiscover_tasks``);
  their common behaviour (late acknowledgement, retries with exponential
  back-off on transient errors, sending after the transaction commits) is in
  ``shop.core.tasks``.
* ``settings.CELERY_BEAT_SCHEDULE`` names the daily jobs; ``celery beat`` sends
  them, one beat process for the whole shop. The management commands stay for
  manual use and call the same functions.

Run a worker and the scheduler::

    celery -A shop worker -l info
    celery -A shop beat -l info
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")

app = Celery("shop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
