"""Give the district office group the new permission to read the settlement report."""

from django.db import migrations

GROUP = "district_office"


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    group = Group.objects.filter(name=GROUP).first()
    if group is None:
        return  # created later with its permissions (shop.roles.ensure_role_groups)
    content_type, _created = ContentType.objects.get_or_create(
        app_label="vendors", model="revenueshare"
    )
    permission, _created = Permission.objects.get_or_create(
        content_type=content_type, codename="view_settlement",
        defaults={"name": "Xem báo cáo quyết toán của các chủ thể"},
    )
    group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("vendors", "0004_revenue_shares"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
