"""Anonymous survey links keep only the digest of their secret, and may be revoked.

Links made before this keep working: each stored secret is replaced by its digest, which is
what the link's page now looks up.
"""

import hashlib

from django.db import migrations, models


def digest_existing_keys(apps, schema_editor):
    SurveyLink = apps.get_model("outcomes", "SurveyLink")
    for link in SurveyLink.objects.only("pk", "key").iterator():
        link.key = hashlib.sha256(link.key.encode()).hexdigest()
        link.save(update_fields=["key"])


class Migration(migrations.Migration):
    dependencies = [
        ("outcomes", "0002_survey_withdrawn"),
    ]

    operations = [
        migrations.AddField(
            model_name="surveylink",
            name="revoked_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="surveylink",
            name="key",
            field=models.CharField(max_length=64, unique=True),
        ),
        migrations.RunPython(digest_existing_keys, migrations.RunPython.noop),
    ]
