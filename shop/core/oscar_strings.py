"""Oscar's English msgids whose Vietnamese the project corrects (locale/vi/LC_MESSAGES/django.po).

Oscar's own Vietnamese catalogue leaves these untranslated or gets them wrong
("Cam kết thực hiện" for fulfilment, "Những hách hàng mới", "tạo một tài khoản trước
khi thoát" for "before checking out"). The project's LOCALE_PATHS come before Oscar's
catalogue, so an entry for the same msgid in locale/vi wins.

Nothing calls this module: it is here so that ``makemessages`` (``make messages``,
which runs with ``--no-obsolete``) finds these msgids in the project's sources and
keeps their corrected entries instead of dropping them. English needs no entry:
Oscar's msgids are English already.
"""

from django.utils.translation import gettext_noop

OSCAR_STRINGS = [
    gettext_noop("Fulfilment"),
    gettext_noop("New customers"),
    gettext_noop("I am a new customer and want to checkout as a guest"),
    gettext_noop("I am a new customer and want to create an account before checking out"),
    gettext_noop("I am a returning customer, and my password is"),
    gettext_noop("Oops! We found some errors"),
    gettext_noop("Offers, vouchers"),
    gettext_noop("Login"),
    gettext_noop("Status Changes"),
    gettext_noop("No status changes."),
]
