from django.db import migrations
from django.utils import timezone


def consents_from_protection_requests(apps, schema_editor):
    """The date of consent to share, kept on protection requests until now, becomes a consent record of
    purpose "sharing with a state" naming the request's state. It is dated as given at the stage a
    request is made (risk assessed), so on a case that has moved on it shows as lapsed: confirm it again."""
    ProtectionRequest = apps.get_model("protection", "ProtectionRequest")
    Consent = apps.get_model("consent", "Consent")
    requests = ProtectionRequest.objects.filter(consent_to_share_given_on__isnull=False).select_related(
        "case", "person__data_key"
    )
    for request in requests:
        if request.person.data_key_id is None:  # erased
            continue
        Consent.objects.create(
            case=request.case,
            person=request.person,
            recorded_at=timezone.now(),
            purpose="sharing_with_state",
            recipient_state=request.receiving_state.upper(),
            scope="Data of the protection request (recorded with the request).",
            taken_by="Recorded with the protection request",
            given_on=request.consent_to_share_given_on,
            lifecycle_stage_at_consent="risk_assessed",
        )


class Migration(migrations.Migration):
    dependencies = [
        ("protection", "0001_initial"),
        ("consent", "0003_consent_sharing_names_its_recipient"),
    ]

    operations = [
        migrations.RunPython(consents_from_protection_requests, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="protectionrequest",
            name="consent_to_share_given_on",
        ),
    ]
