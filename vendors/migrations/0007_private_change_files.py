"""Files under review move out of public media into private storage (PRIVATE_MEDIA_ROOT) under
generated names; old public logos named unlike their bytes are renamed (catalogue.uploads)."""

import catalogue.images
import catalogue.uploads
from django.core.files.storage import default_storage
from django.db import migrations, models


def make_private(apps, schema_editor):
    ChangeRequest = apps.get_model("vendors", "ChangeRequest")
    private = catalogue.uploads.private_storage()
    for pk, name in ChangeRequest.objects.exclude(attachment="").values_list("pk", "attachment").iterator():
        if default_storage.exists(name):
            new = catalogue.uploads.move(default_storage, name, private)
            ChangeRequest.objects.filter(pk=pk).update(attachment=new)
    Vendor = apps.get_model("vendors", "Vendor")
    for pk, name in Vendor.objects.exclude(logo="").values_list("pk", "logo").iterator():
        new = catalogue.uploads.rename_if_unsafe(default_storage, name)
        if new:
            Vendor.objects.filter(pk=pk).update(logo=new)


def make_public(apps, schema_editor):
    """Back to the old layout: files under review return to public media (names kept)."""
    ChangeRequest = apps.get_model("vendors", "ChangeRequest")
    private = catalogue.uploads.private_storage()
    for name in ChangeRequest.objects.exclude(attachment="").values_list("attachment", flat=True):
        if private.exists(name) and not default_storage.exists(name):
            with private.open(name, "rb") as handle:
                default_storage.save(name, handle)
            private.delete(name)


class Migration(migrations.Migration):

    dependencies = [
        ('vendors', '0006_signin_hardening'),
    ]

    operations = [
        migrations.AlterField(
            model_name='changerequest',
            name='attachment',
            field=models.FileField(blank=True, help_text='Ảnh sản phẩm hoặc bản scan quyết định chờ duyệt.', storage=catalogue.uploads.private_storage, upload_to=catalogue.uploads.GeneratedName('vendors/changes/%Y/'), validators=[catalogue.images.ScanUploadValidator()], verbose_name='Tệp kèm theo'),
        ),
        migrations.AlterField(
            model_name='vendor',
            name='logo',
            field=models.ImageField(blank=True, help_text='Ảnh JPEG, PNG, WebP hoặc GIF, tối đa 5 MB.', upload_to=catalogue.uploads.GeneratedName('vendors/logos/'), validators=[catalogue.images.ImageUploadValidator()], verbose_name='Logo'),
        ),
        migrations.RunPython(make_private, make_public),
    ]
