"""Topic sheets name the strategy's goals on their indicators and the measures serving them."""

import datetime as dt

import pytest

from sozialplanung.web.areas.selectors import site_county
from sozialplanung.web.reports import services
from sozialplanung.web.strategy.models import Strategy

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 12, 2)


def _goal_chapter(topic: str):
    document, _reading = services.topic_sheet(site_county(), topic, day=DAY)
    return next(
        (c for c in document.chapters if c.title == "Ziele und Maßnahmen der Strategie"), None
    )


def test_the_work_and_income_sheet_lists_the_adopted_versions_goals_and_measures():
    chapter = _goal_chapter("work_income")
    (block,) = chapter.blocks
    assert [row[0].split()[0] for row in block.ranking] == ["1.1", "2.1", "2.2"]
    assert "M5 Coaching für langzeitarbeitslose Eltern (läuft)" in block.ranking[1][1]
    assert block.statement.startswith(
        "Aus Armutspräventionsstrategie des Saale-Orla-Kreises (Version 1)"
    )


def test_a_topic_without_goals_has_no_strategy_chapter():
    assert _goal_chapter("demography") is None


def test_a_sheet_without_an_adopted_strategy_takes_the_newest_draft():
    Strategy.objects.update(status=Strategy.Status.DRAFT)
    chapter = _goal_chapter("work_income")
    assert "(Version 2) (Entwurf)" in chapter.blocks[0].statement
    # The measures listed are version 2's: the day-care social work it added serves goal 1.1.
    assert "M8 Kita-Sozialarbeit" in chapter.blocks[0].ranking[0][1]
