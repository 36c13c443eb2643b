from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0005_delivery_feedback')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ExtraPractice',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('team', fields.ForeignKeyField('models.Team', source_field='team_id', db_constraint=True, to_field='id', related_name='extra_practice', on_delete=OnDelete.CASCADE)),
                ('member', fields.ForeignKeyField('models.Membership', source_field='member_id', db_constraint=True, to_field='id', related_name='extra_practice', on_delete=OnDelete.CASCADE)),
                ('drill', fields.ForeignKeyField('models.Drill', source_field='drill_id', db_constraint=True, to_field='id', related_name='extra_practice', on_delete=OnDelete.CASCADE)),
                ('skill', fields.CharField(default='', max_length=200)),
                ('assigned_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'extra_practice', 'app': 'models', 'indexes': [Index(fields=['member_id', 'assigned_at'])], 'pk_attr': 'id', 'table_description': 'A drill a manager asks one rep to practise privately, for a focus skill.'},
            bases=['Model'],
        ),
    ]
