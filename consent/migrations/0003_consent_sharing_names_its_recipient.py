from django.db import migrations, models


class Migration(migrations.Migration):
    """The consent constraints, apart from 0002's data change (PostgreSQL refuses to alter a table
    with pending trigger events in the same transaction)."""

    dependencies = [
        ("consent", "0002_releases_media_requests"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='consent',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('purpose', 'sharing_with_state'), _negated=True), models.Q(('recipient_state', ''), _negated=True), _connector='OR'), name='consent_sharing_with_a_state_names_it', violation_error_message='Name the state the data may be shared with.'),
        ),
        migrations.AddConstraint(
            model_name='consent',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('purpose', 'sharing_with_organisation'), _negated=True), ('recipient_organisation__isnull', False), _connector='OR'), name='consent_sharing_with_an_organisation_names_it', violation_error_message='Name the organisation the data may be shared with.'),
        ),
    ]
