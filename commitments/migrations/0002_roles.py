"""The roles: Analysts record status updates, evidence and milestones; Editors also
create and edit the register and import it."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW = [
    "view_actor", "view_theme", "view_source", "view_commitment", "view_party",
    "view_evidence", "view_milestone", "view_statusupdate",
]
ANALYST = VIEW + ["add_statusupdate", "add_evidence", "add_milestone", "change_milestone"]
EDITOR = ANALYST + [
    "add_commitment", "change_commitment",
    "add_actor", "change_actor",
    "add_theme", "change_theme",
    "add_source", "change_source",
    "add_party", "change_party", "delete_party",
    "change_evidence",
    "import_commitments",
]
ROLES = {"Analysts": ANALYST, "Editors": EDITOR}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        perms = Permission.objects.filter(content_type__app_label="commitments", codename__in=codenames)
        missing = set(codenames) - set(perms.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Permissions missing for {name}: {sorted(missing)}")
        group.permissions.set(perms)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
