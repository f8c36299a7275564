"""Uploads get generated names (catalogue.uploads); old public files named unlike their bytes
(e.g. a scan stored as ``decision.html``) are renamed so no web server serves them as a page."""

import catalogue.images
import catalogue.uploads
from django.core.files.storage import default_storage
from django.db import migrations, models


def rename_unsafe_files(apps, schema_editor):
    for model, field in (("OcopCertificate", "scan"), ("ProductImage", "original")):
        Model = apps.get_model("catalogue", model)
        for pk, name in Model.objects.exclude(**{field: ""}).values_list("pk", field).iterator():
            new = catalogue.uploads.rename_if_unsafe(default_storage, name)
            if new:
                Model.objects.filter(pk=pk).update(**{field: new})


class Migration(migrations.Migration):

    dependencies = [
        ('catalogue', '0036_combo_components'),
    ]

    operations = [
        migrations.AlterField(
            model_name='ocopcertificate',
            name='scan',
            field=models.FileField(blank=True, help_text='Tệp PDF hoặc ảnh, tối đa 10 MB.', upload_to=catalogue.uploads.GeneratedName('ocop/certificates/%Y/'), validators=[catalogue.images.ScanUploadValidator()], verbose_name='Bản scan quyết định'),
        ),
        migrations.AlterField(
            model_name='productimage',
            name='original',
            field=models.ImageField(max_length=255, upload_to=catalogue.uploads.GeneratedName(setting='OSCAR_IMAGE_FOLDER'), validators=[catalogue.images.ImageUploadValidator()], verbose_name='Original'),
        ),
        migrations.RunPython(rename_unsafe_files, migrations.RunPython.noop),
    ]
