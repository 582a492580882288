"""Values every page needs: the county's name, map settings and the data sources to credit."""

from django.conf import settings
from django.http import HttpRequest

from sozialplanung.web.accounts.roles import role_of
from sozialplanung.web.areas import selectors


def site(request: HttpRequest) -> dict:
    county, sources = selectors.public_site()
    return {
        "site_county": county,
        "site_sources": sources,
        "site_source_list": [{"text": s.attribution, "url": s.attribution_url} for s in sources],
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "user_role": role_of(request.user),
    }
