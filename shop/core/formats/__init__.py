"""The project's date and number formats (``FORMAT_MODULE_PATH``), read before Django's own.

Only what differs from Django's locale files is set here; anything missing falls
through to ``django/conf/locale/<lang>/formats.py`` and then to the settings.

Vietnamese writes dates day first (``05/03/2026`` is 5 March 2026). Typed dates are
read day first in both languages, so one date typed at the till or in a producer's
form never means another day when the language switch is flipped; ISO
``2026-03-05`` (what ``<input type="date">`` and the API send) is always accepted.
"""
