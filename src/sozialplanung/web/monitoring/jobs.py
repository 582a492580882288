"""Background jobs of the monitoring: the disclosure audit of everything published."""

from django.utils.translation import gettext as _

from sozialplanung.web.areas.selectors import site_county
from sozialplanung.web.jobs.registry import register

from .compute import aggregate_result, available_years, indicator_for
from .disclose import audit_publication, protect
from .models import Indicator
from .selectors import Context


@register("monitoring.disclosure_audit")
def disclosure_audit(job, progress) -> dict:
    """For every published indicator and year: hidden cells and the narrowest interval left.

    The attacker sees municipalities, associations, social spaces and the county at once; the
    LP audit checks that no hidden count can be pinned down to less than the threshold.
    """
    county = site_county()
    context = Context.for_county(county)
    indicators = list(Indicator.objects.filter(is_public=True).select_related("numerator"))
    rows = []
    for number, indicator in enumerate(indicators):
        progress(number / len(indicators), indicator.name)
        for year in available_years(indicator):
            local = indicator_for(indicator, year, context.municipalities, context.chains)
            if local.areas and all(v != v for v in local.value):  # only county figures
                continue
            levels, overlays = context.published_levels(local, aggregate_result(local, [county]))
            audit = audit_publication(levels, protect(levels, overlays), overlays)
            rows.append(
                [
                    indicator.name,
                    year,
                    audit["hidden"],
                    "–" if audit["narrowest"] is None else round(audit["narrowest"], 1),
                    _("yes") if audit["protected"] else _("NO"),
                ]
            )
    columns = [
        _("Indicator"),
        _("Year"),
        _("hidden cells"),
        _("narrowest interval"),
        _("protected"),
    ]
    failing = sum(1 for row in rows if row[-1] != _("yes"))
    return {
        "summary": _("%(n)d publications checked, %(failing)d not protected.")
        % {"n": len(rows), "failing": failing},
        "table": {"columns": columns, "rows": rows},
    }
