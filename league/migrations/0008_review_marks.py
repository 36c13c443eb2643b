from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from collections import defaultdict
from league.reviews.flags import is_short_text, score_range

CHUNK = 500  # ids per UPDATE, well under every database's parameter limit


async def mark_saved_reviews(apps, schema_editor):
    """Reviews saved before marks existed get them from their answers."""
    review_model = apps.get_model("models", "Review")
    client = schema_editor.client
    rows = await review_model.all().using_db(client).values_list("id", "scores", "kudos")
    by_marks = defaultdict(list)
    for review_id, scores, kudos in rows:
        by_marks[(*score_range(scores or {}), is_short_text(kudos))].append(review_id)
    for (low, high, short), ids in by_marks.items():
        for start in range(0, len(ids), CHUNK):
            await review_model.filter(id__in=ids[start : start + CHUNK]).using_db(client).update(
                low_score=low, high_score=high, short_kudos=short
            )

class Migration(migrations.Migration):
    dependencies = [('models', '0007_push_delivery')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Review',
            name='high_score',
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name='Review',
            name='low_score',
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name='Review',
            name='short_kudos',
            field=fields.BooleanField(default=True, db_default=True),
        ),
        ops.RunPython(mark_saved_reviews, ops.RunPython.noop),
    ]
