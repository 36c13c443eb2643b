from tortoise import migrations
from tortoise.migrations import operations as ops
from league.push.models import DeliveryOutcome
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0006_extra_practice')]

    initial = False

    operations = [
        ops.CreateModel(
            name='PushDelivery',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('notification', fields.ForeignKeyField('models.Notification', source_field='notification_id', db_constraint=True, to_field='id', related_name='deliveries', on_delete=OnDelete.CASCADE)),
                ('member', fields.ForeignKeyField('models.Membership', source_field='member_id', db_constraint=True, to_field='id', related_name='push_deliveries', on_delete=OnDelete.CASCADE)),
                ('subscription_id', fields.IntField()),
                ('device', fields.CharField(default='', max_length=80)),
                ('outcome', fields.CharEnumField(description='SENT: sent\nGONE: gone\nFAILED: failed\nREFUSED: refused', enum_type=DeliveryOutcome, max_length=8)),
                ('status', fields.IntField(null=True)),
                ('error', fields.CharField(default='', max_length=200)),
                ('attempt', fields.IntField(default=1)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'push_delivery', 'app': 'models', 'indexes': [Index(fields=['member_id', 'created_at']), Index(fields=['created_at'])], 'pk_attr': 'id', 'table_description': 'One send of one notification to one device, and its outcome.'},
            bases=['Model'],
        ),
    ]
