from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Embedding",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("label", models.CharField(max_length=100)),
                ("object_id", models.PositiveBigIntegerField()),
                ("organisation_id", models.PositiveBigIntegerField(blank=True, null=True)),
                ("embedder", models.CharField(max_length=100)),
                ("embedder_version", models.CharField(max_length=100)),
                ("dimensions", models.PositiveIntegerField()),
                ("vector", models.BinaryField()),
                ("text_hash", models.CharField(max_length=64)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["label", "embedder", "embedder_version", "updated_at"],
                        name="similarity_changed_since",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("label", "object_id", "embedder", "embedder_version"),
                        name="similarity_unique_embedding",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="StoredIndex",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("label", models.CharField(max_length=100)),
                ("embedder", models.CharField(max_length=100)),
                ("embedder_version", models.CharField(max_length=100)),
                ("dimensions", models.PositiveIntegerField()),
                ("size", models.PositiveBigIntegerField()),
                ("covers_until", models.DateTimeField(blank=True, null=True)),
                ("data", models.BinaryField()),
                ("built_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("label", "embedder", "embedder_version"),
                        name="similarity_unique_stored_index",
                    )
                ],
            },
        ),
    ]
