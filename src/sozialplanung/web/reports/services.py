"""Render reports, topic sheets and profiles, and keep each file with its inputs and checksum."""

import dataclasses
import datetime as dt
import hashlib
import re
import time

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from sozialplanung.reports.documents import Chapter, Document, pdf
from sozialplanung.web.areas.models import Area
from sozialplanung.web.monitoring.disclose import threshold
from sozialplanung.web.monitoring.models import Topic
from sozialplanung.web.strategy.sheets import goals_chapter

from .assemble import Reading, profile_chapters, report_indicators, topic_chapter
from .models import Kind, ReportDefinition, ReportRun
from .sections import index_chapter, spaces_chapter

GERMAN_LETTERS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)
PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


def definition_for(county: Area) -> ReportDefinition:
    """The county's social report definition, created on first use."""
    definition, _created = ReportDefinition.objects.get_or_create(
        county=county,
        defaults={
            "title": _("Social report"),
            "subtitle": _("Living conditions in %(county)s") % {"county": county.name},
        },
    )
    return definition


def social_report(definition: ReportDefinition, *, day: dt.date) -> tuple[Document, Reading]:
    """The whole report: one chapter per topic with data, the planner's texts, methods annex."""
    reading = Reading.of(definition.county, report_indicators())
    texts = dict(definition.narratives.values_list("topic", "text"))
    chapters = []
    if definition.introduction.strip():
        chapters.append(Chapter(title=_("Introduction"), narrative=definition.introduction))
    for topic in Topic.values:
        chapter = topic_chapter(reading, topic, texts.get(topic, ""))
        if chapter is not None:
            chapters.append(chapter)
    for section in (index_chapter, spaces_chapter):
        chapter = section(definition.county)
        if chapter is not None:
            chapters.append(chapter)
    document = _document(
        Kind.SOCIAL_REPORT, definition.title, definition.subtitle, reading, day, chapters
    )
    return document, reading


def topic_sheet(
    county: Area, topic: str, *, day: dt.date, definition: ReportDefinition | None = None
) -> tuple[Document, Reading]:
    """Two pages on one topic: key figures, statements, maps, trends."""
    reading = Reading.of(county, report_indicators(topic))
    text = ""
    if definition is not None:
        text = definition.narratives.filter(topic=topic).values_list("text", flat=True).first()
    chapter = topic_chapter(reading, topic, text or "", sheet=True)
    if chapter is not None:  # the sheet's title already names the topic
        chapter = dataclasses.replace(chapter, title="")
    title = str(Topic(topic).label)
    subtitle = _("Topic sheet")
    chapters = [chapter] if chapter else []
    if chapter is not None and (goals := goals_chapter(county, topic)) is not None:
        chapters.append(goals)
    return _document(Kind.TOPIC_SHEET, title, subtitle, reading, day, chapters), reading


def profiles(areas: list[Area], county: Area, *, day: dt.date):
    """Yield (area, document) for each area; the figures are read once for all of them."""
    level = areas[0].level if areas else None
    reading = Reading.of(county, report_indicators(), level=level)
    for area in areas:
        title = area.name
        subtitle = _("Area profile")
        chapters = profile_chapters(reading, area)
        yield area, _document(Kind.PROFILE, title, subtitle, reading, day, list(chapters)), reading


def _document(kind, title, subtitle, reading: Reading, day, chapters) -> Document:
    sources = reading.sources()
    notice = ""
    if any(s.example for s in sources):
        notice = _("Contains example data that are not official figures.")
    return Document(
        kind=str(kind),
        title=title,
        subtitle=subtitle,
        issuer=reading.county.name,
        day=day,
        chapters=tuple(chapters),
        sources=sources,
        methods=_methods(),
        notice=notice,
        labels={
            "methods": _("Methods, sources and licences"),
            "file": _("File"),
            "source": _("Source and licence"),
        },
    )


def _methods() -> tuple[str, ...]:
    return (
        _(
            "Rates and shares of groups of areas are computed from summed numerators and "
            "denominators, never as means of rates. Municipalities are shown in today's "
            "boundaries; figures from before mergers are carried over with official conversion "
            "keys."
        ),
        _(
            "Data protection: counts below %(n)s and figures from which such counts could be "
            "recovered are not published (marked •)."
        )
        % {"n": threshold()},
        _(
            "Map classes are quantiles of the published values. The sentences are generated from "
            "the figures: a value counts as above or below the county when it differs by at "
            "least 5 percent (clearly: 20 percent); changes of rates are stated in percentage "
            "points."
        ),
    )


class NothingToReport(ValueError):
    """The document would have no figures (e.g. a topic without published indicators)."""


def render_document(
    *, county: Area, kind: str, day: dt.date, topic: str = "", area: Area | None = None, user=None
) -> ReportRun:
    """Render one document (the report, a topic sheet or one profile) and keep it as a run."""
    definition = definition_for(county)
    if kind == Kind.SOCIAL_REPORT:
        document, reading = social_report(definition, day=day)
        return store_run(document, reading, kind=kind, definition=definition, user=user)
    if kind == Kind.TOPIC_SHEET:
        document, reading = topic_sheet(county, topic, day=day, definition=definition)
        if not document.chapters:
            raise NothingToReport(
                _("No published figures on %(topic)s: no topic sheet made.")
                % {"topic": Topic(topic).label}
            )
        return store_run(
            document, reading, kind=kind, definition=definition, topic=topic, user=user
        )
    _area, document, reading = next(profiles([area], county, day=day))
    return store_run(document, reading, kind=kind, area=area, user=user)


def store_run(
    document: Document,
    reading: Reading,
    *,
    kind: str,
    user=None,
    definition: ReportDefinition | None = None,
    topic: str = "",
    area: Area | None = None,
) -> ReportRun:
    """Render the document and keep the file, its checksum and the import batches it used.

    The PDF is compiled before the transaction, so no database lock waits on typst.
    """
    started = time.perf_counter()
    data = pdf(document)
    name = file_name(document)
    run = ReportRun(
        kind=kind,
        definition=definition,
        topic=topic,
        area=area,
        parameters={"day": document.day.isoformat(), "title": document.title, "file_name": name},
        checksum=hashlib.sha256(data).hexdigest(),
        pages=page_count(data),
        created_by=user if user is not None and user.is_authenticated else None,
        seconds=time.perf_counter() - started,
    )
    with transaction.atomic():
        run.file.save(name, ContentFile(data), save=False)
        run.save()
        run.batches.set(reading.batches)
    return run


def page_count(data: bytes) -> int:
    """Pages of a typst PDF: its page objects are written uncompressed."""
    return len(PAGE_OBJECT.findall(data))


def file_name(document: Document) -> str:
    """A readable, safe file name: kind, title and date."""
    from django.utils.text import slugify

    title = document.title.translate(GERMAN_LETTERS)
    return f"{document.kind}-{slugify(title)}-{document.day.isoformat()}.pdf"
