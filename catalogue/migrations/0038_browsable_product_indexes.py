"""Indexes for the storefront's listings (catalogue.browsing): browsable products newest first
and by title; the newest-first index also answers a listing's count."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalogue', '0037_generated_upload_names'),
        ('vendors', '0007_private_change_files'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='product',
            index=models.Index(condition=models.Q(('is_public', True), ('parent__isnull', True)), fields=['-date_created', '-id'], name='product_browsable_newest'),
        ),
        migrations.AddIndex(
            model_name='product',
            index=models.Index(condition=models.Q(('is_public', True), ('parent__isnull', True)), fields=['title', 'id'], name='product_browsable_title'),
        ),
    ]
