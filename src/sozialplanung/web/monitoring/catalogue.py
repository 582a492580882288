"""The shipped indicator catalogue: installed once, then the county's own to edit."""

import tomllib
from pathlib import Path

CATALOGUE = Path(__file__).parent / "data" / "catalogue.toml"


def read_catalogue(path: Path = CATALOGUE) -> dict[str, list[dict]]:
    with path.open("rb") as stream:
        data = tomllib.load(stream)
    return {"variables": data.get("variable", []), "indicators": data.get("indicator", [])}


def install_catalogue(Variable, Indicator, path: Path = CATALOGUE) -> int:
    """Create the catalogue's variables and indicators that do not exist yet; returns how many.

    Takes the model classes so a data migration can pass its historical models. Existing entries
    are left as the county edited them.
    """
    catalogue = read_catalogue(path)
    created = 0
    for entry in catalogue["variables"]:
        _obj, new = Variable.objects.get_or_create(code=entry["code"], defaults=entry)
        created += new
    variables = {v.code: v for v in Variable.objects.all()}
    for position, entry in enumerate(catalogue["indicators"]):
        fields = dict(entry, position=position)
        fields["numerator"] = variables[entry["numerator"]]
        if "denominator" in entry:
            fields["denominator"] = variables[entry["denominator"]]
        _obj, new = Indicator.objects.get_or_create(code=entry["code"], defaults=fields)
        created += new
    return created
