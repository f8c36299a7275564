"""Give the district office group the settlement report and Oscar's order dashboard."""

from django.db import migrations

GROUP = "district_office"
PERMISSIONS = [
    ("vendors", "revenueshare", "view_settlement", "Xem báo cáo quyết toán của các chủ thể"),
    ("order", "order", "view_order", "Can view order"),
    ("order", "order", "change_order", "Can change order"),
]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    group = Group.objects.filter(name=GROUP).first()
    if group is None:
        return  # created later with its permissions (shop.core.roles.ensure_role_groups)
    for app_label, model, codename, name in PERMISSIONS:
        content_type, _created = ContentType.objects.get_or_create(app_label=app_label, model=model)
        permission, _created = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("vendors", "0004_revenue_shares"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
