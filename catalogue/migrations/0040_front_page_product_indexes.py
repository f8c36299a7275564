"""Indexes for the front page's lists: the best-rated browsable products and a product
class's newest (gift combos)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalogue', '0039_search_text_trigram_index'),
        ('vendors', '0007_private_change_files'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='product',
            index=models.Index(condition=models.Q(('is_public', True), ('ocop_stars__isnull', False), ('parent__isnull', True)), fields=['-ocop_stars', 'title'], name='product_browsable_stars'),
        ),
        migrations.AddIndex(
            model_name='product',
            index=models.Index(condition=models.Q(('is_public', True), ('parent__isnull', True)), fields=['product_class', '-date_created', '-id'], name='product_browsable_class'),
        ),
    ]
