"""Demo data of the OCOP Đăk Hà shop (``python manage.py load_demo``).

``data`` holds the rows as plain Python structures, ``images`` draws the
product photos, ``loader`` writes everything idempotently (looked up by
natural keys: codes, slugs, barcodes, usernames) and ``progress`` shows what
it is doing.
"""
