"""Which model holds each HSDS table, and which model field each HSDS link fills."""

from .models import (
    Accessibility,
    Address,
    Contact,
    CostOption,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

# Table → (model, {HSDS link field: model field}); scalar fields share their HSDS names.
MODELS = {
    "organizations": (Organization, {}),
    "taxonomies": (Taxonomy, {}),
    "taxonomy_terms": (TaxonomyTerm, {"taxonomy_id": "taxonomy_ref", "parent_id": "parent"}),
    "services": (Service, {"organization_id": "organization"}),
    "locations": (Location, {"organization_id": "organization"}),
    "service_at_locations": (
        ServiceAtLocation, {"service_id": "service", "location_id": "location"}
    ),
    "addresses": (Address, {"location_id": "location"}),
    "contacts": (
        Contact,
        {"organization_id": "organization", "service_id": "service",
         "service_at_location_id": "service_at_location", "location_id": "location"},
    ),
    "phones": (
        Phone,
        {"location_id": "location", "service_id": "service", "organization_id": "organization",
         "contact_id": "contact", "service_at_location_id": "service_at_location"},
    ),
    "schedules": (
        Schedule,
        {"service_id": "service", "location_id": "location",
         "service_at_location_id": "service_at_location"},
    ),
    "cost_options": (CostOption, {"service_id": "service"}),
    "languages": (
        Language, {"service_id": "service", "location_id": "location", "phone_id": "phone"}
    ),
    "accessibility": (Accessibility, {"location_id": "location"}),
    "service_areas": (
        ServiceArea, {"service_id": "service", "service_at_location_id": "service_at_location"}
    ),
}  # fmt: skip
