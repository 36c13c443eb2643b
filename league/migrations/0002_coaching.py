from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='FocusSkill',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('team', fields.ForeignKeyField('models.Team', source_field='team_id', db_constraint=True, to_field='id', related_name='focus_skills', on_delete=OnDelete.CASCADE)),
                ('season', fields.ForeignKeyField('models.Season', source_field='season_id', db_constraint=True, to_field='id', related_name='focus_skills', on_delete=OnDelete.CASCADE)),
                ('member', fields.ForeignKeyField('models.Membership', source_field='member_id', db_constraint=True, to_field='id', related_name='focus_skills', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharField(max_length=16)),
                ('key', fields.CharField(max_length=80)),
                ('label', fields.CharField(max_length=200)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'focus_skill', 'app': 'models', 'unique_together': (('season', 'member', 'kind', 'key'),), 'indexes': [Index(fields=['member_id', 'season_id'])], 'pk_attr': 'id', 'table_description': 'One of the 2-3 skills a manager asks a rep to train on during a season.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OneOnOne',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('team', fields.ForeignKeyField('models.Team', source_field='team_id', db_constraint=True, to_field='id', related_name='one_on_ones', on_delete=OnDelete.CASCADE)),
                ('member', fields.ForeignKeyField('models.Membership', source_field='member_id', db_constraint=True, to_field='id', related_name='one_on_ones', on_delete=OnDelete.CASCADE)),
                ('week_of', fields.DateField()),
                ('notes', fields.TextField(default='', unique=False)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'one_on_one', 'app': 'models', 'unique_together': (('member', 'week_of'),), 'pk_attr': 'id', 'table_description': 'The weekly 1:1 between a manager and a rep, with the notes of the manager for that week.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AgreedAction',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('one_on_one', fields.ForeignKeyField('models.OneOnOne', source_field='one_on_one_id', db_constraint=True, to_field='id', related_name='actions', on_delete=OnDelete.CASCADE)),
                ('text', fields.CharField(max_length=300)),
                ('done', fields.BooleanField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'agreed_action', 'app': 'models', 'pk_attr': 'id', 'table_description': 'Something the rep and manager agreed in a 1:1. The next packet asks whether it happened.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SalesMetrics',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('team', fields.ForeignKeyField('models.Team', source_field='team_id', db_constraint=True, to_field='id', related_name='sales_metrics', on_delete=OnDelete.CASCADE)),
                ('member', fields.ForeignKeyField('models.Membership', source_field='member_id', db_constraint=True, to_field='id', related_name='sales_metrics', on_delete=OnDelete.CASCADE)),
                ('period', fields.CharField(max_length=7)),
                ('activities', fields.IntField()),
                ('meetings', fields.IntField()),
                ('opportunities', fields.IntField()),
                ('proposals', fields.IntField()),
                ('wins', fields.IntField()),
                ('average_deal_size', fields.FloatField(null=True)),
                ('imported_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'sales_metrics', 'app': 'models', 'unique_together': (('member', 'period'),), 'indexes': [Index(fields=['team_id', 'period'])], 'pk_attr': 'id', 'table_description': 'One rep and one period (a month such as 2026-03) of sales numbers, from a CSV import.'},
            bases=['Model'],
        ),
    ]
