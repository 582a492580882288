"""What changed between two versions of a strategy, item by item, as a revision has to say.

A version is first read into a snapshot (plain dicts of display values keyed by each item's
ref); :func:`diff_snapshots` then compares two snapshots without touching the database.
"""

from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Goal, Strategy

KINDS = {
    "strategy": gettext_lazy("Strategy"),
    "guidelines": gettext_lazy("Guidelines"),
    "goals": gettext_lazy("Goals"),
    "measures": gettext_lazy("Measures"),
    "milestones": gettext_lazy("Milestones"),
}


@dataclass(frozen=True)
class Change:
    kind: str  # a key of KINDS
    label: str  # the item's name in the newer version (or the older, if removed)
    change: str  # "added", "removed" or "changed"
    fields: tuple[tuple[str, str, str], ...] = field(default=())  # (field, old, new)


Snapshot = dict[str, dict[str, dict]]  # kind → ref → {"label": …, "fields": {name: value}}


def diff_snapshots(old: Snapshot, new: Snapshot) -> list[Change]:
    """Added, removed and changed items per kind, in the order of the newer version."""
    changes = []
    for kind in KINDS:
        before, after = old.get(kind, {}), new.get(kind, {})
        for ref, item in after.items():
            if ref not in before:
                changes.append(Change(kind, item["label"], "added"))
                continue
            differing = tuple(
                (name, before[ref]["fields"].get(name, ""), value)
                for name, value in item["fields"].items()
                if before[ref]["fields"].get(name, "") != value
            )
            if differing:
                changes.append(Change(kind, item["label"], "changed", differing))
        changes += [
            Change(kind, item["label"], "removed")
            for ref, item in before.items()
            if ref not in after
        ]
    return changes


def snapshot(strategy: Strategy) -> Snapshot:
    """The version's content as display values, keyed by the refs that copies keep."""
    header = {
        str(strategy.lineage): _entry(
            strategy.title,
            {
                _("Title"): strategy.title,
                _("Funding phase"): strategy.funding_phase,
                _("Introduction"): strategy.introduction,
            },
        )
    }
    guidelines = {
        str(g.ref): _entry(str(g), {_("Title"): g.title, _("Description"): g.description})
        for g in strategy.guidelines.all()
    }
    goals = {}
    for goal in _goals(strategy):
        goals[str(goal.ref)] = _entry(
            f"{goal.code} {goal.text[:80]}",
            {
                _("Goal"): goal.text,
                _("Guideline"): goal.guideline.title,
                _("Indicator"): goal.indicator.name if goal.indicator else "",
                _("Baseline"): _year_value(goal.baseline_year, goal.baseline_value),
                _("Target"): _year_value(goal.target_year, goal.target_value),
                _("Social spaces"): ", ".join(sorted(a.name for a in goal.areas.all())),
            },
        )
    measures = {}
    for m in strategy.measures.select_related("responsible").prefetch_related(
        "partners", "areas", "goals__guideline", "budget_lines"
    ):
        measures[str(m.ref)] = _entry(
            str(m),
            {
                _("Title"): m.title,
                _("Description"): m.description,
                _("Responsible"): str(m.responsible or ""),
                _("Partners"): ", ".join(sorted(p.name for p in m.partners.all())),
                _("Target groups"): m.target_groups,
                _("Social spaces"): ", ".join(sorted(a.name for a in m.areas.all())),
                _("Period"): _period(m.start, m.end),
                _("Status"): m.get_status_display(),
                _("Goals"): ", ".join(sorted(g.code for g in m.goals.all())),
                _("Budget"): _budget(m),
            },
        )
    milestones = {
        str(ms.ref): _entry(
            str(ms),
            {
                _("Deliverable"): ms.title,
                _("Due"): ms.due.strftime("%m/%Y"),
                _("Status"): ms.get_status_display(),
            },
        )
        for ms in strategy.milestones.all()
    }
    return {
        "strategy": header,
        "guidelines": guidelines,
        "goals": goals,
        "measures": measures,
        "milestones": milestones,
    }


def _goals(strategy: Strategy):
    return (
        Goal.objects.filter(guideline__strategy=strategy)
        .select_related("guideline", "indicator")
        .prefetch_related("areas")
    )


def _entry(label: str, fields: dict) -> dict:
    return {"label": label, "fields": {str(k): str(v) for k, v in fields.items()}}


def _year_value(year: int | None, value: float | None) -> str:
    if year is None and value is None:
        return ""
    shown = number_format(value, use_l10n=True) if value is not None else "–"
    return f"{shown} ({year or '–'})"


def _period(start, end) -> str:
    if not start and not end:
        return ""
    return f"{start.strftime('%m/%Y') if start else '…'}–{end.strftime('%m/%Y') if end else '…'}"


def _budget(measure) -> str:
    lines = sorted(measure.budget_lines.all(), key=lambda b: (b.year, b.source))
    return "; ".join(f"{b.year} {b.get_source_display()}: {euro(b.amount)}" for b in lines)


def euro(amount) -> str:
    """An amount in German format with the euro sign, e.g. 12.500,00 €."""
    return f"{number_format(amount, 2, use_l10n=True, force_grouping=True)} €"
