"""Input and output shapes of the registry API, one pair per operation."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Organisation, Team
from protection.stages import Stage
from registry.models import Alias, Case, Custody, Person


class AliasSerializer(serializers.Serializer[Alias]):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Alias.Kind.choices, default=Alias.Kind.ALIAS)


class PersonInputSerializer(serializers.Serializer[Person]):
    family_name = serializers.CharField(max_length=100)
    given_name = serializers.CharField(max_length=100)
    family_name_hangul = serializers.CharField(max_length=20, required=False, allow_blank=True)
    given_name_hangul = serializers.CharField(max_length=20, required=False, allow_blank=True)
    sex = serializers.ChoiceField(choices=Person.Sex.choices, required=False)
    date_of_birth = serializers.CharField(
        max_length=10, required=False, allow_blank=True, help_text="YYYY, YYYY-MM or YYYY-MM-DD"
    )
    place_of_origin = serializers.CharField(max_length=200, required=False, allow_blank=True)
    unit = serializers.CharField(max_length=200, required=False, allow_blank=True)
    rank = serializers.CharField(max_length=100, required=False, allow_blank=True)
    languages = serializers.ListField(child=serializers.CharField(max_length=40), required=False)
    protection_concern = serializers.BooleanField(required=False)
    notes = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    aliases = AliasSerializer(many=True, required=False)


class CaseCreateInputSerializer(PersonInputSerializer):
    organisation = serializers.SlugField(help_text="Slug of the organisation that owns the case.")
    reference = serializers.CharField(max_length=13, required=False, allow_blank=True)
    stage = serializers.ChoiceField(choices=Stage.choices, required=False)
    entry_route = serializers.ChoiceField(choices=Case.EntryRoute.choices, required=False)


class CaseUpdateInputSerializer(PersonInputSerializer):
    family_name = serializers.CharField(max_length=100, required=False)
    given_name = serializers.CharField(max_length=100, required=False)
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="The version you edited; or send it as If-Match."
    )


class CustodyInputSerializer(serializers.Serializer[Custody]):
    facility = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Custody.Kind.choices)
    from_date = serializers.DateField()
    to_date = serializers.DateField(required=False, allow_null=True)


class CustodyOutputSerializer(serializers.ModelSerializer[Custody]):
    class Meta:
        model = Custody
        fields = ["id", "facility", "kind", "from_date", "to_date"]


class PersonOutputSerializer(serializers.ModelSerializer[Person]):
    aliases = AliasSerializer(many=True, read_only=True)

    class Meta:
        model = Person
        fields = [
            "family_name",
            "given_name",
            "family_name_hangul",
            "given_name_hangul",
            "aliases",
            "sex",
            "date_of_birth",
            "place_of_origin",
            "unit",
            "rank",
            "languages",
            "protection_concern",
            "notes",
        ]


class TeamOutputSerializer(serializers.ModelSerializer[Team]):
    organisation: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = Team
        fields = ["id", "name", "organisation"]


class TeamAssignInputSerializer(serializers.Serializer[Team]):
    team = serializers.IntegerField(help_text="Id of the team to give access to the case.")


class CaseSummarySerializer(serializers.ModelSerializer[Case]):
    organisation: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    family_name = serializers.CharField(source="person.family_name", read_only=True)
    given_name = serializers.CharField(source="person.given_name", read_only=True)
    family_name_hangul = serializers.CharField(source="person.family_name_hangul", read_only=True)
    given_name_hangul = serializers.CharField(source="person.given_name_hangul", read_only=True)

    class Meta:
        model = Case
        fields = [
            "reference",
            "stage",
            "entry_route",
            "organisation",
            "family_name",
            "given_name",
            "family_name_hangul",
            "given_name_hangul",
            "version",
            "updated_at",
        ]


class CaseDetailSerializer(serializers.ModelSerializer[Case]):
    organisation: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    person = PersonOutputSerializer(read_only=True)
    custody = CustodyOutputSerializer(source="custody_records", many=True, read_only=True)
    teams = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "reference",
            "stage",
            "entry_route",
            "organisation",
            "person",
            "custody",
            "teams",
            "version",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(TeamOutputSerializer(many=True))
    def get_teams(self, case: Case) -> list[dict[str, Any]]:
        return [TeamOutputSerializer(assignment.team).data for assignment in case.assignments.all()]


def person_values(data: dict[str, Any]) -> dict[str, Any]:
    """The person fields of validated input, without aliases or case fields."""
    keys = set(PersonInputSerializer().fields) - {"aliases"}
    return {key: value for key, value in data.items() if key in keys}
