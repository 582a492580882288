"""The directory as an HSDS dataset: every table with the spec's field names and our ids."""

from sozialplanung.io.hsds import TABLES, Dataset

from .hsds_models import MODELS
from .models import Attribute, Location, Organization, Service, ServiceAtLocation, TaxonomyTerm


def export_dataset(services=None) -> Dataset:
    """Published services (or the given ones) with their organisations, places and terms."""
    services = list(services if services is not None else Service.objects.filter(is_public=True))
    service_ids = {s.pk for s in services}
    at_locations = list(ServiceAtLocation.objects.filter(service__in=service_ids))
    location_ids = {a.location_id for a in at_locations}
    organization_ids = {s.organization_id for s in services}
    attributes = list(Attribute.objects.filter(service__in=service_ids))
    term_ids = {a.taxonomy_term_id for a in attributes}
    terms = _with_ancestors(TaxonomyTerm.objects.filter(pk__in=term_ids))
    chosen = {
        "organizations": Organization.objects.filter(pk__in=organization_ids),
        "services": services,
        "locations": Location.objects.filter(pk__in=location_ids),
        "service_at_locations": at_locations,
        "taxonomy_terms": terms,
        "taxonomies": {t.taxonomy_ref for t in terms if t.taxonomy_ref},
    }
    tables = {name: [] for name in TABLES}
    for table, (model, links) in MODELS.items():
        if table in chosen:
            objects = chosen[table]
        else:
            query = model.objects.none()
            for field in links.values():
                if field == "service":
                    query = query | model.objects.filter(service__in=service_ids)
                elif field == "location":
                    query = query | model.objects.filter(location__in=location_ids)
                elif field == "organization":
                    query = query | model.objects.filter(organization__in=organization_ids)
            objects = query.distinct()
        tables[table] = sorted((row_of(o, table, links) for o in objects), key=lambda r: r["id"])
    tables["attributes"] = sorted((_attribute_row(a) for a in attributes), key=lambda r: r["id"])
    for service in services:
        _free_of_charge(service, tables)
    return Dataset(tables)


def _with_ancestors(terms) -> list[TaxonomyTerm]:
    found = {t.pk: t for t in terms}
    pending = [t for t in found.values() if t.parent_id and t.parent_id not in found]
    while pending:
        parent = pending.pop().parent
        if parent.pk not in found:
            found[parent.pk] = parent
            if parent.parent_id and parent.parent_id not in found:
                pending.append(parent)
    return list(found.values())


def row_of(obj, table: str, links: dict) -> dict:
    row = {}
    for name in TABLES[table]:
        if name == "id":
            row[name] = obj.hsds_id
        elif name in links:
            related = getattr(obj, links[name])
            row[name] = related.hsds_id if related else None
        else:
            value = getattr(obj, name, None)
            row[name] = _exported(value)
    return row


def _exported(value):
    if value == "":
        return None
    if hasattr(value, "isoformat") and hasattr(value, "hour"):  # a time: HH:MM
        return value.strftime("%H:%M")
    if value.__class__.__name__ == "Decimal":
        return float(value)
    return value


def _attribute_row(attribute: Attribute) -> dict:
    target = attribute.target
    entity = (
        "service"
        if attribute.service_id
        else "organization"
        if attribute.organization_id
        else "location"
    )
    return {
        "id": attribute.hsds_id,
        "link_id": target.hsds_id,
        "taxonomy_term_id": attribute.taxonomy_term.hsds_id,
        "link_type": attribute.link_type or None,
        "link_entity": entity,
        "value": attribute.value or None,
        "label": attribute.label or None,
    }


def _free_of_charge(service: Service, tables: dict) -> None:
    """A free service without a stated cost says so with a cost option of 0 EUR."""
    has_costs = any(c["service_id"] == service.hsds_id for c in tables["cost_options"])
    if service.free_of_charge and not has_costs:
        tables["cost_options"].append(
            {
                **dict.fromkeys(TABLES["cost_options"]),
                "id": f"{service.hsds_id}-kostenlos",
                "service_id": service.hsds_id,
                "option": "kostenlos",
                "currency": "EUR",
                "amount": 0.0,
            }
        )
