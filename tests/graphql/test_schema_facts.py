"""Our schema says what Saleor's says, for every type, field, argument and enum value we expose.

The facts are written down per area in tests/graphql/facts/*.py (Saleor 3.22's names,
types with their nullability in SDL notation, argument defaults, enum values). A client
document written for Saleor validates against our schema exactly when every field it
asks for is one of ours with Saleor's type: this test fails on any exposed type or field
that is not in the facts, on a different type or nullability, on an argument that is
missing, extra or typed differently, on an enum value Saleor does not have, and on an
interface or union member Saleor's type does not have.
"""

import importlib
import pkgutil

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLUnionType,
    ast_from_value,
    print_ast,
)

from shop.graphql.schema import schema

from . import facts as facts_package

SCHEMA = schema.graphql_schema
BUILT_IN_SCALARS = {"String", "Int", "Float", "Boolean", "ID"}


def _merge():
    fields, args, enums, scalars = {}, {}, {}, set()
    for module_info in pkgutil.iter_modules(facts_package.__path__):
        module = importlib.import_module(f"{facts_package.__name__}.{module_info.name}")
        for name, items in getattr(module, "FIELDS", {}).items():
            merged = fields.setdefault(name, {})
            for key, value in items.items():
                assert merged.get(key, value) == value, (module_info.name, name, key)
                merged[key] = value
        for key, value in getattr(module, "ARGS", {}).items():
            assert args.get(key, value) == value, (module_info.name, key)
            args[key] = value
        for name, values in getattr(module, "ENUMS", {}).items():
            assert enums.get(name, values) == values, (module_info.name, name)
            enums[name] = values
        scalars |= set(getattr(module, "SCALARS", ()))
    return fields, args, enums, scalars


FIELDS, ARGS, ENUMS, SCALARS = _merge()


def _named_types():
    return sorted(name for name in SCHEMA.type_map if not name.startswith("__")
                  and name not in BUILT_IN_SCALARS)


def _argument(argument):
    text = str(argument.type)
    if argument.default_value is not None and argument.default_value is not ...:
        from graphql.pyutils import Undefined

        if argument.default_value is not Undefined:
            node = ast_from_value(argument.default_value, argument.type)
            if node is not None:
                text += " = " + print_ast(node)
    return text


def test_the_facts_cover_a_real_part_of_saleors_surface():
    assert len(FIELDS) >= 60 and "Product" in FIELDS and "Checkout" in FIELDS and "User" in FIELDS
    assert ("Query", "products") in ARGS


@pytest.mark.parametrize("name", _named_types())
def test_type_matches_saleor(name):
    graphql_type = SCHEMA.type_map[name]
    if isinstance(graphql_type, GraphQLScalarType):
        assert name in SCALARS, f"scalar {name} is not one of Saleor's"
        return
    if isinstance(graphql_type, GraphQLEnumType):
        assert name in ENUMS, f"enum {name} is not one of Saleor's"
        extra = set(graphql_type.values) - set(ENUMS[name])
        assert not extra, f"{name} has values Saleor's does not: {extra}"
        return
    assert name in FIELDS, f"type {name} is not in the facts of Saleor's schema"
    facts = FIELDS[name]
    if isinstance(graphql_type, GraphQLUnionType):
        members = {t.name for t in graphql_type.types}
        assert members <= set(facts["__union__"].split(" | ")), name
        return
    if isinstance(graphql_type, (GraphQLObjectType, GraphQLInterfaceType)):
        interfaces = {i.name for i in graphql_type.interfaces}
        allowed = set(filter(None, facts.get("__implements__", "").split(" & ")))
        assert interfaces <= allowed, f"{name} implements {interfaces - allowed}, Saleor's does not"
    for field_name, field in graphql_type.fields.items():
        assert field_name in facts, f"{name}.{field_name} is not a field of Saleor's {name}"
        if isinstance(graphql_type, GraphQLInputObjectType):
            assert _argument(field) == facts[field_name], f"{name}.{field_name}"
            continue
        assert str(field.type) == facts[field_name], f"{name}.{field_name}: {field.type}"
        expected_args = ARGS.get((name, field_name), {})
        ours = {arg_name: _argument(arg) for arg_name, arg in field.args.items()}
        for arg_name, text in ours.items():
            assert arg_name in expected_args, f"{name}.{field_name}({arg_name}) is not Saleor's"
            assert text == expected_args[arg_name], f"{name}.{field_name}({arg_name}): {text}"
        # Saleor's arguments of a field we expose are ours too, so a client's document validates
        missing = set(expected_args) - set(ours)
        assert not missing, f"{name}.{field_name} lacks Saleor's arguments {missing}"


def test_the_compatibility_page_lists_every_operation():
    from pathlib import Path

    page = (Path(__file__).resolve().parents[2] / "docs" / "graphql.md").read_text()
    operations = set(SCHEMA.query_type.fields) | set(SCHEMA.mutation_type.fields)
    missing = {name for name in operations if f"`{name}" not in page}
    assert not missing, f"docs/graphql.md does not list {missing}"
