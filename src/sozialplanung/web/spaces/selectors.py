"""Reads of the social spaces that other domains use: the adopted scheme and its areas.

Kept free of the analytics and monitoring imports, so monitoring can aggregate to the spaces.
"""

from sozialplanung.web.areas.models import Area

from .models import SpaceMembership, SpaceScheme


def adopted_scheme(county: Area) -> SpaceScheme | None:
    """The scheme in use: the latest one adopted for the county."""
    return (
        SpaceScheme.objects.filter(county=county, status=SpaceScheme.Status.ADOPTED)
        .order_by("-adopted_at", "-pk")
        .first()
    )


def has_adopted_scheme() -> bool:
    """Whether the site's county has adopted social spaces, so pages can offer them."""
    from sozialplanung.web.areas.selectors import site_county

    county = site_county()
    return county is not None and adopted_scheme(county) is not None


def space_areas(county: Area) -> tuple[list[Area], dict[int, int]]:
    """The adopted spaces as areas, and each municipality's space area (both by pk)."""
    scheme = adopted_scheme(county)
    if scheme is None:
        return [], {}
    areas = list(Area.objects.filter(social_space__scheme=scheme).order_by("social_space__number"))
    member_of = dict(
        SpaceMembership.objects.filter(scheme=scheme).values_list(
            "municipality_id", "space__area_id"
        )
    )
    return areas, member_of


def members_of(space_area: Area) -> list[Area]:
    """The municipalities of a social space (given as its area), by name."""
    return sorted(
        (
            m.municipality
            for m in SpaceMembership.objects.filter(space__area=space_area).select_related(
                "municipality"
            )
        ),
        key=lambda a: a.name,
    )


def space_of(municipality: Area) -> Area | None:
    """The municipality's social space in the adopted scheme of its county, as an area."""
    county = next((a for a in municipality.ancestors() if a.level == "county"), None)
    scheme = adopted_scheme(county) if county else None
    if scheme is None:
        return None
    membership = (
        SpaceMembership.objects.filter(scheme=scheme, municipality=municipality)
        .select_related("space__area")
        .first()
    )
    return membership.space.area if membership else None
