"""On PostgreSQL, a trigram index on the products' normalised search text.

``catalogue.search.filter_products`` looks for every word of a query with
``search_text LIKE '%word%'``; pg_trgm's GIN index answers such a pattern for
words of three letters or more without reading every product. SQLite has no
such index: there the migration does nothing (the search works the same, by
scanning).
"""

from django.db import migrations

INDEX = "catalogue_product_search_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON catalogue_product "
        "USING gin (search_text gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The extension stays: other objects of the database may use it.
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("catalogue", "0038_browsable_product_indexes"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index),
    ]
