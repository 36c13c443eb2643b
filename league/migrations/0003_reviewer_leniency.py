from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0002_coaching')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ReviewerLeniency',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('season', fields.ForeignKeyField('models.Season', source_field='season_id', db_constraint=True, to_field='id', related_name='reviewer_leniencies', on_delete=OnDelete.CASCADE)),
                ('round', fields.ForeignKeyField('models.Round', source_field='round_id', db_constraint=True, to_field='id', related_name='reviewer_leniencies', on_delete=OnDelete.CASCADE)),
                ('reviewer', fields.ForeignKeyField('models.Membership', source_field='reviewer_id', db_constraint=True, to_field='id', related_name='leniencies', on_delete=OnDelete.CASCADE)),
                ('round_number', fields.IntField()),
                ('deviation_sum', fields.FloatField(default=0)),
                ('review_count', fields.IntField(default=0)),
            ],
            options={'table': 'reviewer_leniency', 'app': 'models', 'unique_together': (('round', 'reviewer'),), 'indexes': [Index(fields=['season_id', 'reviewer_id', 'round_number'])], 'pk_attr': 'id', 'table_description': "A peer reviewer's running sums for one round (see reviews/scoring.py): the sum of"},
            bases=['Model'],
        ),
    ]
