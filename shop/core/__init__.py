"""The shop's own building blocks, shared by the apps and by no single one of them.

Not an Oscar fork and not an app of its own: small modules that any floor may use
(``pyproject.toml``'s import-linter floors put them at the bottom, beside
``shop.money``), each with its rule written at its top:

``roles``          the role groups (office, cashier, producer, livestream seller) and
                   their permissions;
``signin``         the sign-in lock (django-axes): who is counted, the lock-out answer;
``text``           the one rule of free text (no control or bidi-override characters);
``links``          absolute links for emails from ``SHOP_BASE_URL`` or the request;
``analytics``      Oscar's analytics counters, safe under concurrent requests;
``charts``         inline-SVG charts for reports (no script, no CDN);
``progress``       progress lines and bars of long commands (demo, backfills);
``formats``        day-first date formats for vi and en (``FORMAT_MODULE_PATH``);
``oscar_strings``  Oscar's msgids the project's catalogue corrects, kept for makemessages.
"""
