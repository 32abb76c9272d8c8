# The one audit trail (partnercenter.audit.models.Event).

import django.core.serializers.json
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0002_account_events'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Event',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('at', models.DateTimeField(default=django.utils.timezone.now)),
                ('kind', models.CharField(max_length=60)),
                ('actor_label', models.CharField(help_text='Who, as shown; kept if the user is deleted.', max_length=300)),
                ('object_type', models.CharField(max_length=60)),
                ('object_id', models.CharField(max_length=40)),
                ('from_state', models.CharField(blank=True, max_length=30)),
                ('to_state', models.CharField(blank=True, max_length=30)),
                ('note', models.TextField(blank=True, help_text="People's own words (a reason, a request), as typed.")),
                ('data', models.JSONField(blank=True, default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder)),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('tenant', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='accounts.tenant')),
            ],
            options={
                'verbose_name': 'audit event',
                'ordering': ['at', 'id'],
                'indexes': [models.Index(fields=['object_type', 'object_id', 'at'], name='audit_event_object'), models.Index(fields=['tenant', 'at'], name='audit_event_tenant')],
            },
        ),
    ]
