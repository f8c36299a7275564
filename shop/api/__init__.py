"""What every JSON API of the shop shares (the producer API, the till API, later ones).

``errors``      one error body, ``{"detail", "code"}`` (+ ``errors`` by field on a 400),
                the DRF exception handler and the JSON 404 under the API prefixes;
``schema``      the OpenAPI ``AutoSchema`` that documents those answers on every operation;
``pagination``  page numbers that accept one whole number each, or answer 400.
"""
