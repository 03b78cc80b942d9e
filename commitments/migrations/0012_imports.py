# Import checks: web links as strict as the database, and imported history's claims.

import commitments.validators
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('commitments', '0011_extraction'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='statusupdate',
            name='claimed_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='recorded at, as the imported file says'),
        ),
        migrations.AddField(
            model_name='statusupdate',
            name='claimed_by',
            field=models.CharField(blank=True, editable=False, max_length=150, verbose_name='recorded by, as the imported file says'),
        ),
        migrations.AlterField(
            model_name='evidence',
            name='url',
            field=models.URLField(blank=True, help_text='http or https only.', max_length=500, validators=[commitments.validators.HttpUrlValidator(message='Enter a web address that starts with http:// or https://.', schemes=['http', 'https'])], verbose_name='URL'),
        ),
        migrations.AlterField(
            model_name='source',
            name='url',
            field=models.URLField(blank=True, max_length=500, validators=[commitments.validators.HttpUrlValidator(message='Enter a web address that starts with http:// or https://.', schemes=['http', 'https'])], verbose_name='URL'),
        ),
        migrations.AddConstraint(
            model_name='statusupdate',
            constraint=models.CheckConstraint(condition=models.Q(('claimed_at__isnull', True), ('claimed_at__lte', models.F('recorded_at')), _connector='OR'), name='update_claimed_before_recorded', violation_error_message='The time the imported file gives for an entry cannot be later than when it was imported.'),
        ),
    ]
