"""The taxonomy of life situations the directory ships with, installed once and kept by code."""

import tomllib
from pathlib import Path

from django.db import transaction

from .models import Taxonomy, TaxonomyTerm

LIFE_SITUATIONS = Path(__file__).parent / "data" / "lebenslagen.toml"
TAXONOMY_ID = "sozialplanung-lebenslagen"


@transaction.atomic
def install_life_situations() -> Taxonomy:
    """Create or update the taxonomy and its terms from the data file; terms keep their ids."""
    spec = tomllib.loads(LIFE_SITUATIONS.read_text(encoding="utf-8"))
    taxonomy, _created = Taxonomy.objects.update_or_create(
        hsds_id=TAXONOMY_ID,
        defaults={
            "name": spec["name"],
            "description": spec["description"],
            "version": spec["version"],
        },
    )
    for position, term in enumerate(spec["term"]):
        TaxonomyTerm.objects.update_or_create(
            hsds_id=f"{TAXONOMY_ID}-{term['code']}",
            defaults={
                "taxonomy_ref": taxonomy,
                "taxonomy": spec["name"],
                "code": term["code"],
                "name": term["name"],
                "description": term["description"],
                "language": "de",
                "position": position,
            },
        )
    return taxonomy


def life_situations():
    return TaxonomyTerm.objects.filter(taxonomy_ref__hsds_id=TAXONOMY_ID).order_by("position")
