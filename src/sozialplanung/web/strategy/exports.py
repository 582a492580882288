"""The strategy as a document (PDF through the report engine) and its measures as a workbook."""

import datetime as dt
from io import BytesIO

from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from sozialplanung.reports.documents import Chapter, Document, IndicatorBlock, KeyFigure, pdf
from sozialplanung.web.reports.services import GERMAN_LETTERS

from . import presentation, services, tracking
from .models import Measure, Strategy

EURO_FORMAT = '#,##0.00 "€"'


def file_name(strategy: Strategy) -> str:
    title = strategy.title.translate(GERMAN_LETTERS)
    return f"strategie-{slugify(title)}-version-{strategy.version}"


def strategy_pdf(strategy: Strategy, *, day: dt.date) -> bytes:
    return pdf(strategy_document(strategy, day=day))


def strategy_document(strategy: Strategy, *, day: dt.date) -> Document:
    """Introduction, one chapter per guideline with its goals and measures, timeline, budget."""
    budget = presentation.budget_table(strategy)
    status = (
        _("Adopted by the county council on %(day)s (%(reference)s).")
        % {
            "day": date_format(strategy.council_decision_date),
            "reference": strategy.council_reference,
        }
        if strategy.is_adopted
        else _("Draft, not yet adopted by the county council.")
    )
    intro = Chapter(
        title=_("Introduction"),
        summary=" ".join(x for x in (status, _funding(strategy)) if x),
        narrative=strategy.introduction,
        key_figures=(
            KeyFigure(_("Guidelines"), str(strategy.guidelines.count())),
            KeyFigure(_("Goals"), str(presentation.goals_of(strategy).count())),
            KeyFigure(_("Measures"), str(strategy.measures.count())),
            KeyFigure(_("Budget"), budget.total),
        ),
    )
    tracks = {
        t.goal.pk: t for t in tracking.dashboard(presentation.goals_of(strategy), strategy.county)
    }
    chapters = [intro]
    for row in services.tree(strategy):
        if row["guideline"] is None:
            continue
        blocks = tuple(
            _goal_block(g["goal"], g["measures"], tracks[g["goal"].pk]) for g in row["goals"]
        )
        chapters.append(
            Chapter(
                title=row["guideline"].title, narrative=row["guideline"].description, blocks=blocks
            )
        )
    chapters += [
        _measures_chapter(strategy),
        _timeline_chapter(strategy, day),
        _budget_chapter(budget),
    ]
    return Document(
        kind="strategy",
        title=strategy.title,
        subtitle=_("Poverty prevention strategy, version %(version)s")
        % {"version": strategy.version},
        issuer=strategy.county.name,
        day=day,
        chapters=tuple(chapters),
        notice=_("Items marked as example content are not from a public source.")
        if presentation.has_example_content(strategy)
        else "",
        labels={"methods": _("Methods, sources and licences")},
    )


def _funding(strategy: Strategy) -> str:
    if not strategy.funding_phase:
        return ""
    text = _("Funding phase %(phase)s") % {"phase": strategy.funding_phase}
    return f"{text}: „{strategy.funding_title}“." if strategy.funding_title else f"{text}."


def _goal_block(goal, measures, track) -> IndicatorBlock:
    row = presentation.goal_row(track)
    statement = goal.text
    if row["latest"]:
        statement += " " + _("%(year)s: %(value)s (target path: %(expected)s) – %(status)s.") % {
            **row["latest"],
            "status": row["status_label"],
        }
    example = f" ({_('example content')})" if goal.is_example else ""
    return IndicatorBlock(
        name=f"{_('Goal')} {goal.code}{example}",
        year=None,
        statement=statement,
        definition="",
        source="",
        chart_svg=row["chart"],
        chart_alt=_("Observed values and target path"),
        ranking_header=(
            pgettext("strategy", "Measure"),
            _("Responsible"),
            _("Period"),
            _("Status"),
        ),
        table_columns="(2fr, 1.4fr, auto, auto)",
        table_align="(left, left, left, left)",
        ranking=tuple(
            (str(m), str(m.responsible or "–"), _period(m), m.get_status_display())
            for m in measures
        ),
    )


def _period(measure: Measure) -> str:
    start = measure.start.strftime("%m/%Y") if measure.start else "…"
    end = measure.end.strftime("%m/%Y") if measure.end else "…"
    return f"{start}–{end}"


def _measures_chapter(strategy: Strategy) -> Chapter:
    measures = strategy.measures.select_related("responsible").prefetch_related("areas")
    block = IndicatorBlock(
        name="",
        year=None,
        statement="",
        definition="",
        source="",
        ranking_header=(
            pgettext("strategy", "Measure"),
            _("Target groups"),
            _("Social spaces"),
            _("Period"),
        ),
        table_columns="(2fr, 1.5fr, 1.2fr, auto)",
        table_align="(left, left, left, left)",
        ranking=tuple(
            (
                str(m) + (f" ({_('example content')})" if m.is_example else ""),
                m.target_groups or "–",
                ", ".join(a.name for a in m.areas.all()) or _("whole county"),
                _period(m),
            )
            for m in measures
        ),
    )
    return Chapter(title=_("Measures"), blocks=(block,))


def _timeline_chapter(strategy: Strategy, day: dt.date) -> Chapter:
    block = IndicatorBlock(
        name="",
        year=None,
        statement="",
        definition="",
        source="",
        chart_svg=presentation.timeline_svg(strategy, today=day),
        chart_alt=_("Timeline of measures and milestones"),
        figure_width="100%",
        ranking_header=(_("No."), _("Milestone"), _("Due"), _("Status")),
        table_columns="(auto, 1fr, auto, auto)",
        table_align="(right, left, left, left)",
        ranking=tuple(
            (str(ms.number), ms.title, ms.due.strftime("%m/%Y"), ms.get_status_display())
            for ms in strategy.milestones.all()
        ),
    )
    return Chapter(title=_("Timeline and milestones"), blocks=(block,))


def _budget_chapter(budget: presentation.BudgetTable) -> Chapter:
    block = IndicatorBlock(
        name="",
        year=None,
        statement="",
        definition="",
        source="",
        ranking_header=(_("Year"), *budget.sources, _("Total")),
        ranking=(
            *((str(year), *amounts, total) for year, amounts, total in budget.rows),
            (_("Total"), *budget.totals, budget.total),
        ),
    )
    return Chapter(title=_("Budget by year and funding source"), blocks=(block,))


def measures_xlsx(strategy: Strategy) -> bytes:
    """Measures with their attributes, and their budget lines, as two sheets."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Measures")[:31]
    header = [
        _("No."), _("Title"), _("Description"), _("Responsible"), _("Partners"),
        _("Target groups"), _("People in the target group"), _("People to be reached"),
        _("Social spaces"), _("Start"), _("End"), _("Status"), _("Goals"), _("Evidence"),
        _("Sustainability"), _("Budget (EUR)"), _("Example content"),
    ]  # fmt: skip
    sheet.append(header)
    measures = strategy.measures.select_related("responsible").prefetch_related(
        "partners", "areas", "goals__guideline", "budget_lines"
    )
    for m in measures:
        sheet.append(
            [
                m.code, m.title, m.description, str(m.responsible or ""),
                ", ".join(p.name for p in m.partners.all()), m.target_groups,
                m.target_group_size, m.planned_reach, ", ".join(a.name for a in m.areas.all()),
                m.start, m.end, m.get_status_display(),
                ", ".join(g.code for g in m.goals.all()), m.get_evidence_display(),
                m.get_sustainability_display(), sum(b.amount for b in m.budget_lines.all()),
                _("yes") if m.is_example else _("no"),
            ]
        )  # fmt: skip
    lines = book.create_sheet(_("Budget")[:31])
    lines.append(
        [pgettext("strategy", "Measure"), _("Year"), _("Funding source"), _("Amount (EUR)")]
    )
    for m in measures:
        for b in m.budget_lines.all():
            lines.append([m.code, b.year, b.get_source_display(), b.amount])
    _style(sheet, dates=("J", "K"), money=("P",))
    _style(lines, dates=(), money=("D",))
    out = BytesIO()
    book.properties.creator = "Sozialplanung"
    book.save(out)
    return out.getvalue()


def _style(sheet, *, dates, money) -> None:
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column in dates:
        for cell in sheet[column][1:]:
            cell.number_format = "DD.MM.YYYY"
    for column in money:
        for cell in sheet[column][1:]:
            cell.number_format = EURO_FORMAT
    sheet.freeze_panes = "A2"
