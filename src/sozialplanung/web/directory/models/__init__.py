"""The directory of support services, modelled on Open Referral HSDS 3.

Each HSDS table has a model with the spec's field names; ``hsds_id`` keeps the record's id for
exchange. ``core`` holds organisations, services, locations and the taxonomy; ``details`` the
tables that hang off them (addresses, phones, schedules, costs, languages …).
"""

from .core import (
    Attribute,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from .details import (
    Accessibility,
    Address,
    Contact,
    CostOption,
    Language,
    Phone,
    Schedule,
    ServiceArea,
)
from .review import ServiceChange
from .search import SearchEntry

__all__ = [
    "Accessibility",
    "Address",
    "Attribute",
    "Contact",
    "CostOption",
    "Language",
    "Location",
    "Organization",
    "Phone",
    "Schedule",
    "SearchEntry",
    "Service",
    "ServiceArea",
    "ServiceAtLocation",
    "ServiceChange",
    "Taxonomy",
    "TaxonomyTerm",
]
