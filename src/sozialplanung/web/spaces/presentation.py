"""How scheme pages show a scheme: colours per space, the measures, and how it was made."""

from dataclasses import dataclass

from django.utils.formats import date_format, number_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from sozialplanung.web.areas.models import Area

from .models import SocialSpace, SpaceScheme

# Paul Tol's "muted" qualitative scheme: distinguishable with colour-vision deficiencies.
SPACE_COLOURS = [
    "#88ccee",
    "#cc6677",
    "#ddcc77",
    "#117733",
    "#332288",
    "#aa4499",
    "#44aa99",
    "#999933",
    "#882255",
    "#661100",
    "#6699cc",
    "#888888",
]


def colour_of(number: int) -> str:
    return SPACE_COLOURS[(number - 1) % len(SPACE_COLOURS)]


@dataclass
class SpaceRow:
    space: SocialSpace
    colour: str
    municipalities: list[Area]
    population: int
    compactness: float | None


def space_rows(scheme: SpaceScheme) -> list[SpaceRow]:
    rows = []
    scores = scheme.quality.get("compactness") or []
    for i, space in enumerate(scheme.spaces.prefetch_related("memberships__municipality")):
        members = sorted((m.municipality for m in space.memberships.all()), key=lambda a: a.name)
        rows.append(
            SpaceRow(
                space=space,
                colour=colour_of(space.number),
                municipalities=members,
                population=sum(a.population or 0 for a in members),
                compactness=scores[i] if i < len(scores) else None,
            )
        )
    return rows


def _n(value, decimals: int = 0) -> str:
    return number_format(value, decimals, use_l10n=True, force_grouping=True)


def how_made(scheme: SpaceScheme) -> str:
    """One paragraph in plain German: method, rules, attributes and what the solver proved."""
    params, solution = scheme.parameters, scheme.solution
    count = scheme.spaces.count()
    rules = [
        _("%(k)d social spaces") % {"k": count}
        if params.get("p")
        else _("as many social spaces as the rules allow (max-p: %(k)d)") % {"k": count},
        _("at least %(n)s inhabitants each") % {"n": _n(params.get("floor") or 0)},
    ]
    if params.get("ceiling"):
        rules.append(_("at most %(n)s inhabitants each") % {"n": _n(params["ceiling"])})
    if params.get("keep_associations"):
        rules.append(_("administrative associations kept together"))
    if params.get("apart"):
        names = Area.objects.filter(key__in=params["apart"]).values_list("name", flat=True)
        rules.append(
            _("%(names)s each in a different space") % {"names": ", ".join(sorted(set(names)))}
        )
    if params.get("compactness"):
        rules.append(_("compactness weighted %(w)s") % {"w": _n(params["compactness"], 1)})
    rules.append(_("every space contiguous"))
    attributes = ", ".join(params.get("attribute_names") or [])
    if params.get("indicators") and params.get("year"):
        attributes += " " + _("(values of %(year)s)") % {"year": params["year"]}
    text = [
        _("Computed %(when)s with the %(method)s method.")
        % {
            "when": date_format(localtime(scheme.created_at), "SHORT_DATE_FORMAT"),
            "method": _("exact") if scheme.method == SpaceScheme.Method.EXACT else _("heuristic"),
        },
        _("Rules: %(rules)s.") % {"rules": "; ".join(rules)},
        _("Similarity within spaces measured on: %(attributes)s (standardised).")
        % {"attributes": attributes},
    ]
    if scheme.method == SpaceScheme.Method.EXACT:
        if "columns" in (solution.get("method_detail") or ""):
            how = _(
                "The p-median model on attribute distance was solved as a partition into "
                "connected regions (column generation, integer model in HiGHS) in %(s)s s."
            )
        else:
            how = _(
                "The mixed-integer model (p-median on attribute distance, contiguity by flow "
                "constraints) was solved with HiGHS in %(s)s s."
            )
        text.append(how % {"s": _n(solution.get("seconds") or 0, 1)})
        if solution.get("status") == "optimal":
            text.append(
                _("HiGHS proved the partition optimal: no better one exists under these rules.")
            )
        else:
            text.append(
                _(
                    "The time limit ended the search: the partition is at most %(gap)s %% worse "
                    "than the optimum (proven bound)."
                )
                % {"gap": _n(100 * (solution.get("gap") or 0), 1)}
            )
    else:
        text.append(
            _(
                "Found by growing spaces to the floor and improving them by moving border "
                "municipalities (AZP and tabu search) in %(s)s s; no proof of optimality."
            )
            % {"s": _n(solution.get("seconds") or 0, 1)}
        )
    if scheme.edited:
        text.append(_("Afterwards edited by hand (municipalities moved between spaces)."))
    return " ".join(text)


def measure_rows(scheme: SpaceScheme) -> list[tuple[str, str]]:
    """The quality measures as label and formatted value."""
    q = scheme.quality
    if not q:
        return []
    rows = [
        (
            _("Heterogeneity within spaces (sum of squares, lower is better)"),
            _n(q["heterogeneity"], 2),
        ),
        (_("Smallest space (inhabitants)"), _n(q["population_min"])),
        (_("Largest space (inhabitants)"), _n(q["population_max"])),
        (_("Population balance (coefficient of variation)"), _n(q["population_cv"], 2)),
    ]
    if q.get("compactness_mean") is not None:
        rows.append(
            (_("Compactness, mean (Polsby–Popper, 1 = circle)"), _n(q["compactness_mean"], 2))
        )
        rows.append((_("Compactness, least compact space"), _n(q["compactness_min"], 2)))
    if q.get("split_groups") is not None:
        rows.append((_("Administrative associations split"), _n(q["split_groups"])))
    return rows
