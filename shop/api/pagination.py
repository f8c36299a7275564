"""Page-numbered lists of the APIs that refuse a page or a page size they cannot use.

REST framework's ``PageNumberPagination`` quietly uses the default page size for
``?page_size=abc`` and the last value of ``?page_size=1&page_size=2``; its schema
says both parameters are integers. Here, as the schema says:

* ``page_size`` is one whole number from 1 to ``max_page_size``; without it the
  list has ``page_size`` rows;
* ``page`` is one whole number from 1; a page past the end is a 404, as in REST
  framework;
* anything else (a word, a fraction, a negative number, the parameter given twice)
  is a 400 whose ``errors`` name the parameter (``shop.api.errors``).
"""

import re

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")


class StrictPageNumberPagination(PageNumberPagination):
    page_size = 50
    max_page_size = 100
    page_size_query_param = "page_size"
    last_page_strings = ()

    def _whole_number(self, request, name, maximum=None):
        values = request.query_params.getlist(name)
        if not values:
            return None
        value = values[0]
        if len(values) > 1 or not WHOLE_NUMBER.fullmatch(value) or int(value) < 1 or (
            maximum is not None and int(value) > maximum
        ):
            if maximum is None:
                message = _("%(name)s phải là một số nguyên từ 1 trở lên, chỉ một lần.")
            else:
                message = _("%(name)s phải là một số nguyên từ 1 đến %(maximum)d, chỉ một lần.")
            raise ValidationError({name: [message % {"name": name, "maximum": maximum or 0}]})
        return int(value)

    def get_page_size(self, request):
        size = self._whole_number(request, self.page_size_query_param, self.max_page_size)
        return self.page_size if size is None else size

    def get_page_number(self, request, paginator):
        return self._whole_number(request, self.page_query_param) or 1

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
                parameter["schema"]["default"] = self.page_size
        return parameters
