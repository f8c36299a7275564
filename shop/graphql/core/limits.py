"""Query depth and cost limits, checked before a query runs.

* Depth: at most ``MAX_DEPTH`` nested selections (fragments followed), which
  stops the cyclic walks a graph allows (product → category → products → ...).
* Cost: each field costs 1, times the page size (``first``/``last``, or 1) of
  every connection it is inside, like Saleor's query cost; a query above
  ``MAX_COST`` is refused with the cost it would have had. Introspection is free.
"""

from django.utils.translation import gettext as _
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    VariableNode,
)

MAX_DEPTH = 15
MAX_COST = 50_000


def _page_size(field, variables):
    for argument in field.arguments or ():
        if argument.name.value in ("first", "last"):
            node = argument.value
            if isinstance(node, VariableNode):
                value = variables.get(node.name.value)
            else:
                value = getattr(node, "value", None)
            try:
                return max(int(value), 1)
            except (TypeError, ValueError):
                return 1
    return 1


def measure(document, variables=None, operation_name=None):
    """``(depth, cost)`` of the operation to run in ``document``."""
    variables = variables or {}
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    depth = cost = 0

    def walk(selection_set, level, multiplier, seen):
        nonlocal depth, cost
        if selection_set is None:
            return
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                name = selection.name.value
                if name.startswith("__"):
                    continue
                depth = max(depth, level)
                cost += multiplier
                walk(selection.selection_set, level + 1, multiplier * _page_size(selection, variables), seen)
            elif isinstance(selection, InlineFragmentNode):
                walk(selection.selection_set, level, multiplier, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name in seen or name not in fragments:
                    continue  # a cycle is reported by GraphQL's own validation
                walk(fragments[name].selection_set, level, multiplier, seen | {name})

    for operation in operations[:1]:
        walk(operation.selection_set, 1, 1, frozenset())
    return depth, cost


def check(document, variables=None, operation_name=None):
    """GraphQL errors for a query too deep or too costly (empty list when it may run)."""
    depth, cost = measure(document, variables, operation_name)
    errors = []
    if depth > MAX_DEPTH:
        errors.append(GraphQLError(
            _("Truy vấn lồng %(depth)s tầng, vượt giới hạn %(max)s tầng.") % {"depth": depth, "max": MAX_DEPTH},
            extensions={"exception": {"code": "QueryDepthExceeded"}},
        ))
    if cost > MAX_COST:
        errors.append(GraphQLError(
            _("Truy vấn có chi phí %(cost)s, vượt giới hạn %(max)s.") % {"cost": cost, "max": MAX_COST},
            extensions={"exception": {"code": "QueryCostError"}, "cost": {"requestedQueryCost": cost,
                                                                       "maximumAvailable": MAX_COST}},
        ))
    return errors
