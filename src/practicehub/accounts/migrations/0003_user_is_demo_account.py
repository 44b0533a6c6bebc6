from django.db import migrations, models

# The demo gives its accounts addresses in a reserved domain (accounts/demo.py); a demo
# database made before this field existed gets its accounts marked by that.
DEMO_EMAIL_SUFFIX = "@demo.practicehub.invalid"


def mark_demo_accounts(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    User.objects.filter(email__endswith=DEMO_EMAIL_SUFFIX).update(is_demo_account=True)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0002_api_tokens"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="is_demo_account",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(mark_demo_accounts, migrations.RunPython.noop),
    ]
