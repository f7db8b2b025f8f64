"""Names and titles saved with line breaks before single-line fields cleaned them
(a raw POST could) are put on one line. A unique name whose one-line form another
row already has is left as it is: email code makes header values one line anyway."""

from django.db import migrations

# (app, model, field, unique). Forums sits above communities and members, so one
# migration here repairs them all.
SINGLE_LINE_FIELDS = [
    ("communities", "Community", "name", True),
    ("communities", "Invitation", "name", False),
    ("members", "Organisation", "name", True),
    ("members", "User", "display_name", False),
    ("members", "User", "job_title", False),
    ("members", "User", "organisation_other", False),
    ("forums", "Thread", "title", False),
]


def names_on_one_line(apps, schema_editor):
    for app_label, model_name, field, unique in SINGLE_LINE_FIELDS:
        model = apps.get_model(app_label, model_name)
        broken = model.objects.filter(**{f"{field}__regex": r"[\r\n\t\v\f]"}).values_list("pk", field)
        for pk, value in broken.iterator(chunk_size=500):
            cleaned = " ".join(value.split())
            if unique and model.objects.filter(**{f"{field}__iexact": cleaned}).exclude(pk=pk).exists():
                continue
            model.objects.filter(pk=pk).update(**{field: cleaned})


class Migration(migrations.Migration):
    dependencies = [("forums", "0007_remote_images_as_links")]

    operations = [migrations.RunPython(names_on_one_line, migrations.RunPython.noop)]
