from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from accounts.models import Membership, Organisation, Team, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["name", "slug", "kind", "country_code"]
    prepopulated_fields = {"slug": ["name"]}


class MembershipInline(admin.TabularInline[Membership, User]):
    model = Membership
    extra = 0


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class UserChangeAdminForm(UserChangeForm):  # type: ignore[type-arg]
    class Meta:
        model = User
        fields = ("email", "full_name", "is_active", "is_staff", "is_superuser")


@admin.register(User)
class UserAdmin(BaseUserAdmin):  # type: ignore[type-arg]
    add_form = UserCreationAdminForm
    form = UserChangeAdminForm
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password", "full_name")}),
        ("Status", {"fields": ("is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "usable_password", "password1", "password2")}),)
    filter_horizontal = ()
    list_filter = ["is_active", "is_staff"]
    inlines = [MembershipInline]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin[Team]):
    list_display = ["name", "organisation"]
    filter_horizontal = ["members"]


def _hide_secrets_from_admin() -> None:
    """TOTP secrets and API tokens are credentials: administrators manage users, not their secrets."""
    from allauth.mfa.models import Authenticator
    from knox.models import AuthToken

    for model in (Authenticator, AuthToken):
        if admin.site.is_registered(model):
            admin.site.unregister(model)


_hide_secrets_from_admin()
