from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0002_lookup_indexes')]

    initial = False

    operations = [
        ops.AddField(
            model_name='CalendarEntry',
            name='revision',
            field=fields.IntField(default=0),
        ),
        ops.AddField(
            model_name='FollowUp',
            name='attachment_unique_id',
            field=fields.CharField(null=True, max_length=64),
        ),
        ops.AddField(
            model_name='FollowUp',
            name='calendar_entry',
            field=fields.ForeignKeyField('models.CalendarEntry', source_field='calendar_entry_id', null=True, db_constraint=True, to_field='id', related_name='followups', on_delete=OnDelete.SET_NULL),
        ),
        ops.AddField(
            model_name='FollowUp',
            name='checkin',
            field=fields.ForeignKeyField('models.CheckIn', source_field='checkin_id', null=True, db_constraint=True, to_field='id', related_name='followups', on_delete=OnDelete.SET_NULL),
        ),
        ops.AddField(
            model_name='TeamRules',
            name='checkin_photo_minutes',
            field=fields.IntField(default=10),
        ),
        ops.AddField(
            model_name='TeamRules',
            name='sla_reminder_minutes',
            field=fields.IntField(default=30),
        ),
        ops.AddField(
            model_name='TeamRules',
            name='ticket_round_robin_cursor',
            field=fields.BigIntField(default=0),
        ),
        ops.AddField(
            model_name='Ticket',
            name='rating_requested_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Ticket',
            name='resolution_reminded_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='User',
            name='agenda_hour',
            field=fields.SmallIntField(null=True),
        ),
        ops.AddField(
            model_name='User',
            name='agenda_sent_on',
            field=fields.DateField(null=True),
        ),
    ]
