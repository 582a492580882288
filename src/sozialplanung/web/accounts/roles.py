"""Roles are Django groups; this table says which permissions each role holds.

Domain apps add their permissions here and ship a data migration that calls ``sync_role_groups``.
"""

from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Role(StrEnum):
    ADMINISTRATOR = "administrator"
    PLANNER = "planner"
    LEADER = "leader"
    PROVIDER = "provider"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.ADMINISTRATOR: _("Administration"),
    Role.PLANNER: _("Planning coordination"),
    Role.LEADER: _("Leadership"),
    Role.PROVIDER: _("Provider"),
}

ALL = "__all__"
ROLE_PERMISSIONS: dict[Role, list[str] | str] = {
    Role.ADMINISTRATOR: ALL,
    Role.PLANNER: [
        "areas.view_area",
        "areas.change_area",
        "areas.import_areas",
        "areas.view_areaimport",
        "areas.view_conversionkey",
        "monitoring.view_variable",
        "monitoring.add_variable",
        "monitoring.change_variable",
        "monitoring.view_indicator",
        "monitoring.add_indicator",
        "monitoring.change_indicator",
        "monitoring.view_observation",
        "monitoring.add_observation",
        "monitoring.change_observation",
        "monitoring.view_importbatch",
        "jobs.view_job",
        "jobs.add_job",
        "socialindex.view_indexdefinition",
        "socialindex.add_indexdefinition",
        "socialindex.change_indexdefinition",
        "spaces.view_spacescheme",
        "spaces.add_spacescheme",
        "spaces.change_spacescheme",
        "reports.view_reportrun",
        "reports.add_reportrun",
        "reports.view_narrativeblock",
        "reports.change_narrativeblock",
        "strategy.view_strategy",
        "strategy.add_strategy",
        "strategy.change_strategy",
        "strategy.delete_strategy",
        "strategy.view_guideline",
        "strategy.add_guideline",
        "strategy.change_guideline",
        "strategy.delete_guideline",
        "strategy.view_goal",
        "strategy.add_goal",
        "strategy.change_goal",
        "strategy.delete_goal",
        "strategy.view_measure",
        "strategy.add_measure",
        "strategy.change_measure",
        "strategy.delete_measure",
        "strategy.view_budgetline",
        "strategy.add_budgetline",
        "strategy.change_budgetline",
        "strategy.delete_budgetline",
        "strategy.view_milestone",
        "strategy.add_milestone",
        "strategy.change_milestone",
        "strategy.delete_milestone",
        "strategy.adopt_strategy",
        "strategy.view_progressentry",
        "strategy.add_progressentry",
        "strategy.view_prioritylist",
        "strategy.add_prioritylist",
        "network.view_actor",
        "network.add_actor",
        "network.change_actor",
        "directory.view_organization",
        "directory.add_organization",
        "directory.change_organization",
        "directory.delete_organization",
        "directory.view_service",
        "directory.add_service",
        "directory.change_service",
        "directory.delete_service",
        "directory.view_location",
        "directory.add_location",
        "directory.change_location",
        "directory.delete_location",
        "directory.view_serviceatlocation",
        "directory.add_serviceatlocation",
        "directory.change_serviceatlocation",
        "directory.delete_serviceatlocation",
        "directory.view_address",
        "directory.add_address",
        "directory.change_address",
        "directory.delete_address",
        "directory.view_contact",
        "directory.add_contact",
        "directory.change_contact",
        "directory.delete_contact",
        "directory.view_phone",
        "directory.add_phone",
        "directory.change_phone",
        "directory.delete_phone",
        "directory.view_schedule",
        "directory.add_schedule",
        "directory.change_schedule",
        "directory.delete_schedule",
        "directory.view_costoption",
        "directory.add_costoption",
        "directory.change_costoption",
        "directory.delete_costoption",
        "directory.view_language",
        "directory.add_language",
        "directory.change_language",
        "directory.delete_language",
        "directory.view_accessibility",
        "directory.add_accessibility",
        "directory.change_accessibility",
        "directory.delete_accessibility",
        "directory.view_servicearea",
        "directory.add_servicearea",
        "directory.change_servicearea",
        "directory.delete_servicearea",
        "directory.view_attribute",
        "directory.view_servicechange",
        "directory.change_servicechange",
        "directory.add_attribute",
        "directory.change_attribute",
        "directory.delete_attribute",
    ],
    Role.LEADER: [
        "areas.view_area",
        "areas.view_areaimport",
        "areas.view_conversionkey",
        "monitoring.view_variable",
        "monitoring.view_indicator",
        "monitoring.view_observation",
        "monitoring.view_importbatch",
        "socialindex.view_indexdefinition",
        "socialindex.adopt_indexdefinition",
        "spaces.view_spacescheme",
        "spaces.adopt_spacescheme",
        "reports.view_reportrun",
        "strategy.view_strategy",
        "strategy.view_guideline",
        "strategy.view_goal",
        "strategy.view_measure",
        "strategy.view_budgetline",
        "strategy.view_milestone",
        "strategy.view_progressentry",
        "strategy.view_prioritylist",
        "strategy.approve_prioritylist",
        "network.view_actor",
        "directory.view_service",
    ],
    # Providers report progress on their actor's measures and propose changes to its entries.
    Role.PROVIDER: ["strategy.add_progressentry", "directory.add_servicechange"],
}


def sync_role_groups(apps) -> None:
    """Create the role groups and set their permissions exactly as ROLE_PERMISSIONS says."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, wanted in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role.value)
        if wanted == ALL:
            group.permissions.set(Permission.objects.all())
            continue
        perms = []
        for dotted in wanted:
            app_label, codename = dotted.split(".")
            perms.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(perms)


def ensure_role_groups() -> None:
    """Create any missing permissions first (Django adds them only after migrating), then sync."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    sync_role_groups(apps)


def role_of(user) -> Role | None:
    """The user's role (the first group that is a role); superusers count as administrators."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.ADMINISTRATOR
    names = set(user.groups.values_list("name", flat=True))
    return next((role for role in Role if role.value in names), None)
