"""Free text people type: which characters are refused, everywhere, by one rule.

The rule
--------
Text a person types (a name, an address, a note, a review, a product story, a
till reason…) may hold any printable character of any script, plus tab, line
feed and carriage return. It may **not** hold:

* C0 control characters U+0000–U+001F other than tab (U+0009), line feed
  (U+000A) and carriage return (U+000D) — NUL, BEL, ESC…;
* DEL (U+007F) and the C1 control characters U+0080–U+009F;
* the bidirectional embeddings and overrides U+202A–U+202E (LRE, RLE, PDF,
  LRO, RLO) and isolates U+2066–U+2069 (LRI, RLI, FSI, PDI): they make the
  text *display* differently from what it *is* (an order's address, a
  product's title or a receipt line reading backwards: "Trojan Source").

Other invisible format characters (zero-width joiner of emoji sequences, the
left-to-right mark…) are allowed: they do not reorder what is shown. The
refusal is a Vietnamese message naming the character (``U+202E``), code
``control_characters``.

Where it applies (one mechanism)
--------------------------------
:func:`install` (called once from ``ShopConfig.ready``) makes the rule part of
validating **every** ``django.forms.CharField`` and **every** DRF
``serializers.CharField``, subclasses included (e-mail, URL, slug, regex…):
Oscar's address, registration, profile and review forms, the dashboard, the
producer corner, the admin, the producer API. The rule is put at the head of
the field's own validators the first time the field validates (in
``run_validators``, which neither library's CharField subclasses override),
and the library's NUL check (``ProhibitNullCharactersValidator``) is dropped
from that field since this rule covers NUL with a clearer message.

Why not the alternatives:

* ``CharField.default_validators`` is read when a field is *built*; Oscar's
  app configs build most of their forms (22 modules: address, checkout,
  customer, dashboard…) in their own ``ready()``, before this app's, so those
  fields would never see it. And a DRF ``ModelSerializer`` passes explicit
  ``validators=`` that replace ``default_validators``.
* a form / serializer base class would mean forking every Oscar form.

The till API reads its JSON in its rule modules (``pos.sales``,
``pos.sessions``, ``pos.returns``), not through serializers: those call
:func:`validate_free_text` on the cashier's notes and reasons (see
``pos.errors.check_text``). The gift message (``shop.checkout``) uses this
rule too. A NUL byte, invalid UTF-8 or an over-long value anywhere in a
request is refused before any view by ``shop.middleware``.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CODE = "control_characters"

_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_BIDI = "\u202a-\u202e\u2066-\u2069"
REFUSED = re.compile(f"[{_CONTROL}{_BIDI}]")
BIDI = re.compile(f"[{_BIDI}]")


def refused_character(value):
    """The first refused character of ``value`` (a str), or None."""
    match = REFUSED.search(value)
    return match.group() if match else None


def validate_free_text(value):
    """Raise ``ValidationError`` (code ``control_characters``) if ``value`` has a refused character.

    Values that are not strings (a UUID, a parsed JSON value…) are not text a
    person typed and pass unchanged.
    """
    if not isinstance(value, str):
        return
    char = refused_character(value)
    if char is None:
        return
    params = {"code": f"U+{ord(char):04X}"}
    if BIDI.match(char):
        message = _(
            "Có ký tự điều khiển hướng chữ (%(code)s), làm chữ hiển thị khác với nội dung thật; "
            "hãy xoá ký tự đó."
        )
    else:
        message = _("Có ký tự điều khiển không in được (%(code)s); hãy xoá ký tự đó.")
    raise ValidationError(message, code=CODE, params=params)


def _with_rule(validators, null_check):
    """``validators`` with this rule first and the library's own NUL check dropped (in place)."""
    if validate_free_text not in validators:
        validators[:] = [validate_free_text] + [
            v for v in validators if not isinstance(v, null_check)
        ]
    return validators


def install():
    """Make :func:`validate_free_text` part of every Django form and DRF CharField (idempotent)."""
    from django import forms
    from django.core.validators import ProhibitNullCharactersValidator
    from rest_framework import serializers

    for field_class in (forms.CharField, serializers.CharField):
        if getattr(field_class.run_validators, "free_text_rule", False):
            continue
        original = field_class.run_validators

        def run_validators(self, value, _original=original):
            _with_rule(self.validators, ProhibitNullCharactersValidator)
            return _original(self, value)

        run_validators.free_text_rule = True
        run_validators.__doc__ = original.__doc__
        field_class.run_validators = run_validators
