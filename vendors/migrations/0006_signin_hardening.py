"""Sign-in hardening (shop.core.signin, vendors.tokens).

* The old DRF tokens (``rest_framework.authtoken``: kept in plain text, never
  expiring, handed to every role) are gone: their table is dropped. Producers get
  new, hashed, expiring tokens (django-rest-knox) at ``/api/producer/token/``.
* The district office may see and lift sign-in locks in ``/admin/axes/``.
"""

from django.db import migrations

GROUP = "district_office"
PERMISSIONS = [
    ("axes", "accessattempt", "view_accessattempt", "Can view access attempt"),
    ("axes", "accessattempt", "delete_accessattempt", "Can delete access attempt"),
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
        ("vendors", "0005_settlement_permission"),
        ("axes", "0010_accessattemptexpiration"),
        ("knox", "0009_extend_authtoken_field"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", migrations.RunSQL.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
