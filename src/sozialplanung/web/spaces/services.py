"""Writes of the social spaces: computing, storing, editing, copying and adopting schemes.

Every partition is checked with :func:`sozialplanung.analytics.regions.validate` before it is
stored; a scheme that breaks a rule is never saved.
"""

import datetime as dt

import numpy as np
import shapely
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sozialplanung.analytics.regions import validate
from sozialplanung.analytics.regions_exact import ExactRegions
from sozialplanung.analytics.regions_heuristic import HeuristicRegions
from sozialplanung.web.areas.models import Area, Level
from sozialplanung.web.jobs.services import start_job
from sozialplanung.web.monitoring.models import Indicator

from .models import SocialSpace, SpaceMembership, SpaceScheme
from .problem import Setup, build_setup, labels_of_scheme, setup_of_scheme, space_boundary

MAX_SECONDS = 600


class SchemeRuleError(ValueError):
    """A partition breaks a rule; ``messages`` lists every broken rule in German."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


def next_version(name: str) -> int:
    latest = SpaceScheme.objects.filter(name=name).aggregate(v=Max("version"))["v"]
    return (latest or 0) + 1


@transaction.atomic
def scheme_start(*, county: Area, name: str, method: str, parameters: dict, user=None):
    """Record a scheme to be computed and queue its job; the page can be left meanwhile."""
    scheme = SpaceScheme.objects.create(
        name=name,
        version=next_version(name),
        county=county,
        method=method,
        parameters=parameters,
        created_by=user if user is not None and user.is_authenticated else None,
    )
    scheme.job = start_job(
        "spaces.compute",
        title=_("Social spaces: %(name)s") % {"name": name},
        params={"scheme": scheme.pk},
        user=user,
    )
    scheme.save(update_fields=["job"])
    return scheme


def setup_for(scheme: SpaceScheme) -> Setup:
    params = scheme.parameters
    return build_setup(
        scheme.county,
        indicators=[Indicator.objects.get(code=code) for code in params.get("indicators", [])],
        year=int(params.get("year") or 0),
        density=bool(params.get("density")),
        p=params.get("p"),
        floor=float(params.get("floor") or 0),
        ceiling=params.get("ceiling"),
        keep_associations=bool(params.get("keep_associations")),
        compactness=float(params.get("compactness") or 0),
        apart=tuple(params.get("apart") or ()),
    )


def compute_scheme(scheme: SpaceScheme, progress=lambda *_: None) -> dict:
    """Solve the scheme's problem with its method, validate the result and store it."""
    try:
        progress(0.05, _("Gathering municipalities, neighbours and attributes"))
        setup = setup_for(scheme)
        seconds = min(float(scheme.parameters.get("time_limit") or 60), MAX_SECONDS)
        seed = int(scheme.parameters.get("seed") or 2016)
        if scheme.method == SpaceScheme.Method.EXACT:
            progress(0.1, _("Solving the optimisation model (up to %(s)d s)") % {"s": seconds})
            solver = ExactRegions(setup.problem).solve(time_limit=seconds)
        else:
            progress(0.1, _("Searching (up to %(s)d s)") % {"s": seconds})
            solver = HeuristicRegions(setup.problem).solve(seed=seed, time_limit=seconds)
        result = solver.result_
        progress(0.9, _("Checking and storing the spaces"))
        solution = {
            "status": result.status,
            "gap": result.gap,
            "seconds": round(result.seconds, 2),
            "heterogeneity": result.objective,
            "model_objective": result.model_objective,
            "method_detail": result.method,
        }
        store_partition(scheme, setup, result.labels, solution=solution)
    except (ValueError, RuntimeError) as error:
        SpaceScheme.objects.filter(pk=scheme.pk).update(
            status=SpaceScheme.Status.FAILED, error=str(error)
        )
        raise
    return {
        "summary": _("%(k)d social spaces, heterogeneity %(h).2f")
        % {"k": int(result.labels.max()) + 1, "h": result.objective},
        "link": reverse("spaces:detail", args=[scheme.pk]),
    }


def default_names(setup: Setup, labels: np.ndarray) -> list[str]:
    """Each space named after its most populous municipality, until the planner names it."""
    names = []
    for r in range(int(labels.max()) + 1):
        members = [setup.municipalities[i] for i in np.flatnonzero(labels == r)]
        largest = max(members, key=lambda a: (a.population or 0, a.name))
        names.append(_("Social space %(name)s") % {"name": largest.name})
    return names


@transaction.atomic
def store_partition(
    scheme: SpaceScheme,
    setup: Setup,
    labels,
    *,
    solution: dict | None = None,
    names: list[str] | None = None,
) -> SpaceScheme:
    """Replace the scheme's spaces by ``labels`` (0..k-1 per municipality) after validation."""
    labels = np.asarray(labels, dtype=int)
    messages = validate(setup.problem, labels)
    if messages:
        raise SchemeRuleError(messages)
    names = names or default_names(setup, labels)
    scheme.memberships.all().delete()
    scheme.spaces.all().delete()
    spaces = SocialSpace.objects.bulk_create(
        SocialSpace(scheme=scheme, number=r + 1, name=names[r])
        for r in range(int(labels.max()) + 1)
    )
    SpaceMembership.objects.bulk_create(
        SpaceMembership(scheme=scheme, space=spaces[r], municipality=area)
        for area, r in zip(setup.municipalities, labels.tolist(), strict=True)
    )
    if solution is not None:
        scheme.solution = solution
        scheme.parameters = {
            **scheme.parameters,
            "attribute_names": setup.attribute_names,
            "attribute_weights": list(setup.problem.weights),
        }
        scheme.attributes = setup.attribute_rows()
    scheme.quality = setup.measure(labels)
    scheme.status = SpaceScheme.Status.DRAFT
    scheme.error = ""
    scheme.save()
    return scheme


def check_move(scheme: SpaceScheme, municipality: Area, space: SocialSpace) -> dict:
    """What moving a municipality to another space would give: broken rules and measures."""
    setup = setup_of_scheme(scheme)
    labels = labels_of_scheme(scheme, setup)
    index = [a.pk for a in setup.municipalities].index(municipality.pk)
    numbers = sorted(scheme.spaces.values_list("number", flat=True))
    target = numbers.index(space.number)
    messages = []
    if labels[index] == target:
        messages.append(_("%(name)s already lies in this space.") % {"name": municipality.name})
    elif target not in {labels[j] for j in setup.problem.neighbours[index]}:
        messages.append(
            _("%(name)s does not border on %(space)s.")
            % {"name": municipality.name, "space": space.name}
        )
    moved = labels.copy()
    moved[index] = target
    if not messages:
        messages = validate(setup.problem, moved)
    quality = setup.measure(moved) if not messages else None
    return {"ok": not messages, "messages": messages, "quality": quality, "labels": moved}


@transaction.atomic
def move_municipality(scheme: SpaceScheme, municipality: Area, space: SocialSpace) -> SpaceScheme:
    """Move one municipality to a neighbouring space of a draft; refused if any rule breaks."""
    if not scheme.is_editable:
        raise SchemeRuleError([_("Only drafts can be changed; make a new version.")])
    check = check_move(scheme, municipality, space)
    if not check["ok"]:
        raise SchemeRuleError(check["messages"])
    SpaceMembership.objects.filter(scheme=scheme, municipality=municipality).update(space=space)
    scheme.quality = check["quality"]
    scheme.edited = True
    scheme.save(update_fields=["quality", "edited"])
    return scheme


def rename_spaces(scheme: SpaceScheme, names: dict[int, str]) -> None:
    """Set the names of a draft's spaces (by space id); blank names are ignored."""
    if not scheme.is_editable:
        raise SchemeRuleError([_("Only drafts can be changed; make a new version.")])
    for space in scheme.spaces.all():
        name = names.get(space.pk, "").strip()
        if name and name != space.name:
            space.name = name[:200]
            space.save(update_fields=["name"])


@transaction.atomic
def scheme_copy(*, scheme: SpaceScheme, user=None) -> SpaceScheme:
    """A new draft version with the same spaces and members; the original stays as it is."""
    copy = SpaceScheme.objects.get(pk=scheme.pk)
    copy.pk = None
    copy.version = next_version(scheme.name)
    copy.predecessor = scheme
    copy.status = SpaceScheme.Status.DRAFT
    copy.adopted_at = None
    copy.job = None
    copy.created_by = user if user is not None and user.is_authenticated else None
    copy.save()
    spaces = {}
    for space in scheme.spaces.all():
        spaces[space.pk] = SocialSpace.objects.create(
            scheme=copy, number=space.number, name=space.name
        )
    SpaceMembership.objects.bulk_create(
        SpaceMembership(scheme=copy, space=spaces[m.space_id], municipality_id=m.municipality_id)
        for m in scheme.memberships.all()
    )
    return copy


@transaction.atomic
def scheme_adopt(*, scheme: SpaceScheme, today: dt.date | None = None) -> SpaceScheme:
    """Adopt a draft: its spaces become areas (level social space) that monitoring can use.

    The spaces of the scheme adopted before end the day before (or on the same day, if it was
    adopted today); the newest adopted scheme is the one in use.
    """
    if scheme.status != SpaceScheme.Status.DRAFT:
        raise SchemeRuleError([_("Only a complete draft can be adopted.")])
    setup = setup_of_scheme(scheme)
    messages = validate(setup.problem, labels_of_scheme(scheme, setup))
    if messages:
        raise SchemeRuleError(messages)
    today = today or timezone.localdate()
    for old in Area.objects.filter(
        social_space__scheme__county=scheme.county, valid_to__isnull=True
    ):
        old.valid_to = max(old.valid_from, today - dt.timedelta(days=1))
        old.save(update_fields=["valid_to"])
    for space in scheme.spaces.prefetch_related("memberships__municipality"):
        members = [m.municipality for m in space.memberships.all()]
        space.area = Area.objects.create(
            level=Level.SOCIAL_SPACE,
            key=f"{scheme.county.key}-S{scheme.pk}-{space.number:02d}",
            name=space.name,
            kind=str(_("Social space")),
            parent=scheme.county,
            geometry=shapely.to_geojson(space_boundary(members)),
            geometry_derived=True,
            area_km2=sum(a.area_km2 or 0 for a in members) or None,
            population=sum(a.population or 0 for a in members),
            population_note=_("sum of its municipalities"),
            vintage=max(a.vintage for a in members),
            valid_from=today,
        )
        space.save(update_fields=["area"])
    scheme.status = SpaceScheme.Status.ADOPTED
    scheme.adopted_at = timezone.now()
    scheme.save(update_fields=["status", "adopted_at"])
    return scheme
