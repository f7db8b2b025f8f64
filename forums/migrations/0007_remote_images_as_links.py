"""HTML stored before images were limited to our uploads (and hosts site admins allow)
is cleaned again, so remote images already in posts, community descriptions and
profiles become links too. No host is allowed yet, so every remote image does."""

from django.db import migrations

from core.markdown import sanitise_html

# Model and the stored HTML fields it has. Forums sits above communities and members,
# so one migration here cleans them all.
STORED_HTML = [
    ("forums", "Post", ["body_html"]),
    ("communities", "Community", ["description_html", "guidelines_html"]),
    ("members", "User", ["bio_html"]),
]


def clean_stored_images(apps, schema_editor):
    for app_label, model_name, fields in STORED_HTML:
        model = apps.get_model(app_label, model_name)
        for field in fields:
            # Only rows holding an image: a forum of any size has few.
            rows = model.objects.filter(**{f"{field}__contains": "<img"}).values_list("pk", field)
            for pk, html in rows.iterator(chunk_size=500):
                cleaned = sanitise_html(html, image_hosts=())
                if cleaned != html:
                    model.objects.filter(pk=pk).update(**{field: cleaned})


class Migration(migrations.Migration):
    dependencies = [
        ("forums", "0006_post_search_vector_holds_title"),
        ("communities", "0003_content_version"),
        ("members", "0002_profiles_eligibility_erasure"),
    ]

    operations = [migrations.RunPython(clean_stored_images, migrations.RunPython.noop)]
