"""Create the "analyst" and "editor" groups.

Analysts read the dashboard (any active login does); they get no admin permissions and
are not staff. Editors are staff users in the "editor" group: they curate reference data,
sources and the pipeline's proposals through the admin. Admins are superusers.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# model name -> actions editors may take on it in the admin
EDITOR_PERMISSIONS = {
    "actor": ("view", "add", "change", "delete"),
    "actoralias": ("view", "add", "change", "delete"),
    "actorrole": ("view", "add", "change", "delete"),
    "weaponssystem": ("view", "add", "change", "delete"),
    "systemalias": ("view", "add", "change", "delete"),
    "dispute": ("view", "add", "change"),
    "disputeparty": ("view", "add", "change", "delete"),
    "event": ("view", "add", "change", "delete"),
    "source": ("view", "add", "change"),
    "statement": ("view", "change"),
    "article": ("view",),
    "story": ("view",),
}


def roles_create(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure ours exist now.
    tracker = apps.get_app_config("tracker")
    tracker.models_module = True
    create_permissions(tracker, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.get_or_create(name="analyst")
    editor, _ = Group.objects.get_or_create(name="editor")
    codenames = [f"{action}_{model}" for model, actions in EDITOR_PERMISSIONS.items() for action in actions]
    editor.permissions.set(Permission.objects.filter(content_type__app_label="tracker", codename__in=codenames))


def roles_drop(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["analyst", "editor"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0002_dashboard_rollups_search"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(roles_create, roles_drop)]
