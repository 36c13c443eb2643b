from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from league.delivery.models import AnalysisStatus
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0004_password_reset')]

    initial = False

    operations = [
        ops.CreateModel(
            name='TakeAnalysis',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('take', fields.OneToOneField('models.Take', source_field='take_id', db_constraint=True, to_field='id', related_name='analysis', on_delete=OnDelete.CASCADE)),
                ('team', fields.ForeignKeyField('models.Team', source_field='team_id', db_constraint=True, to_field='id', related_name='take_analyses', on_delete=OnDelete.CASCADE)),
                ('member', fields.ForeignKeyField('models.Membership', source_field='member_id', db_constraint=True, to_field='id', related_name='take_analyses', on_delete=OnDelete.CASCADE)),
                ('status', fields.CharEnumField(default=AnalysisStatus.QUEUED, description='QUEUED: queued\nRUNNING: running\nDONE: done\nFAILED: failed', enum_type=AnalysisStatus, max_length=16)),
                ('attempts', fields.IntField(default=0)),
                ('claimed_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('words', fields.IntField(null=True)),
                ('speaking_seconds', fields.FloatField(null=True)),
                ('words_per_minute', fields.FloatField(null=True)),
                ('pauses', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('key_points', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('transcript', fields.TextField(default='', unique=False)),
                ('cpu_seconds', fields.FloatField(null=True)),
                ('error', fields.TextField(default='', unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('finished_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'take_analysis', 'app': 'models', 'indexes': [Index(fields=['status', 'created_at']), Index(fields=['member_id', 'created_at']), Index(fields=['team_id', 'created_at'])], 'pk_attr': 'id', 'table_description': "One take's delivery feedback. The row is also the durable queue entry: a queued or"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MissDispute',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('analysis', fields.ForeignKeyField('models.TakeAnalysis', source_field='analysis_id', db_constraint=True, to_field='id', related_name='disputes', on_delete=OnDelete.CASCADE)),
                ('key_point', fields.CharField(max_length=300)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'miss_dispute', 'app': 'models', 'unique_together': (('analysis', 'key_point'),), 'pk_attr': 'id', 'table_description': 'A rep saying "I did say that" about a key point the analysis was not sure of.'},
            bases=['Model'],
        ),
    ]
