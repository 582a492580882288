"""Revisions copy a version item by item; the comparison lists what changed between two."""

import pytest
from django.contrib.auth import get_user_model

from sozialplanung.web.network.models import Actor
from sozialplanung.web.strategy import services, versions
from sozialplanung.web.strategy.models import BudgetLine, Goal, Guideline, Measure, Strategy
from sozialplanung.web.strategy.versions import Change

pytestmark = pytest.mark.django_db


def _goals(strategy):
    return Goal.objects.filter(guideline__strategy=strategy)


def _by_ref(items):
    return {item.ref: item for item in items}


def test_a_revision_copies_every_item_with_its_ref_as_a_new_draft_version(v1):
    partner = Actor.objects.get(name="Bildungsträger Saale-Orla (Beispiel)")
    v1.measures.get(number=4).partners.add(partner)
    planner = get_user_model().objects.create(username="revisor")
    copy = services.revise(strategy=v1, user=planner)

    copy.refresh_from_db()
    assert copy.version == 3  # the demo already has version 2
    assert copy.status == Strategy.Status.DRAFT and copy.council_decision_date is None
    assert copy.lineage == v1.lineage and copy.predecessor == v1 and copy.county == v1.county
    assert copy.created_by == planner
    assert (copy.title, copy.funding_phase, copy.introduction) == (
        v1.title,
        v1.funding_phase,
        v1.introduction,
    )

    old_guidelines, new_guidelines = _by_ref(v1.guidelines.all()), _by_ref(copy.guidelines.all())
    assert set(new_guidelines) == set(old_guidelines) and len(new_guidelines) == 4
    for ref, new in new_guidelines.items():
        assert new.pk != old_guidelines[ref].pk
        assert (new.number, new.title, new.is_example) == (
            old_guidelines[ref].number,
            old_guidelines[ref].title,
            old_guidelines[ref].is_example,
        )

    old_goals, new_goals = _by_ref(_goals(v1)), _by_ref(_goals(copy))
    assert set(new_goals) == set(old_goals) and len(new_goals) == 6
    for ref, new in new_goals.items():
        old = old_goals[ref]
        assert new.guideline.strategy_id == copy.pk
        assert new.guideline.ref == old.guideline.ref
        assert (new.code, new.text, new.indicator_id) == (old.code, old.text, old.indicator_id)
        assert (new.baseline_year, new.baseline_value, new.target_year, new.target_value) == (
            old.baseline_year,
            old.baseline_value,
            old.target_year,
            old.target_value,
        )
        assert set(new.areas.all()) == set(old.areas.all())
    assert new_goals[v1.guidelines.get(number=1).goals.get(number=1).ref].areas.count() == 2

    old_measures, new_measures = _by_ref(v1.measures.all()), _by_ref(copy.measures.all())
    assert set(new_measures) == set(old_measures) and len(new_measures) == 7
    for ref, new in new_measures.items():
        old = old_measures[ref]
        assert (new.number, new.title, new.responsible_id, new.start, new.end, new.status) == (
            old.number,
            old.title,
            old.responsible_id,
            old.start,
            old.end,
            old.status,
        )
        assert set(new.partners.all()) == set(old.partners.all())
        assert set(new.areas.all()) == set(old.areas.all())
        # Goals point to the copies in the new version, matched by ref.
        assert all(g.guideline.strategy_id == copy.pk for g in new.goals.all())
        assert {g.ref for g in new.goals.all()} == {g.ref for g in old.goals.all()}
        assert sorted(new.budget_lines.values_list("year", "source", "amount")) == sorted(
            old.budget_lines.values_list("year", "source", "amount")
        )
    lotsen = copy.measures.get(number=4)
    assert list(lotsen.partners.all()) == [partner]
    assert sorted(g.code for g in lotsen.goals.all()) == ["1.1", "4.1"]
    assert BudgetLine.objects.filter(measure__strategy=copy).count() == 19
    assert BudgetLine.objects.filter(measure__strategy=v1).count() == 19

    old_milestones, new_milestones = _by_ref(v1.milestones.all()), _by_ref(copy.milestones.all())
    assert set(new_milestones) == set(old_milestones) and len(new_milestones) == 5
    for ref, new in new_milestones.items():
        assert (new.number, new.title, new.due) == (
            old_milestones[ref].number,
            old_milestones[ref].title,
            old_milestones[ref].due,
        )
    # The original is untouched.
    v1.refresh_from_db()
    assert v1.is_adopted and v1.measures.count() == 7


def test_revising_an_older_version_still_counts_up_from_the_newest(v2, v1):
    assert services.revise(strategy=v2).version == 3
    assert services.revise(strategy=v1).version == 4


def test_progress_entries_stay_with_the_measure_but_count_in_every_version(v1):
    copy = services.revise(strategy=v1)
    new_lotsen = copy.measures.get(number=4)
    assert not new_lotsen.progress.exists()
    assert services.reach_to_date(new_lotsen) == 48 + 95 + 80


def test_the_revise_page_makes_a_draft_copy(planner_client, leader_client, v1):
    assert leader_client.post(f"/planung/strategie/{v1.pk}/fortschreiben/").status_code == 403
    assert planner_client.get(f"/planung/strategie/{v1.pk}/fortschreiben/").status_code == 405
    assert Strategy.objects.filter(lineage=v1.lineage).count() == 2
    response = planner_client.post(f"/planung/strategie/{v1.pk}/fortschreiben/")
    copy = Strategy.objects.get(lineage=v1.lineage, version=3)
    assert response.status_code == 302
    assert response["Location"] == f"/planung/strategie/{copy.pk}/"
    assert copy.created_by.username == "test-planner" and copy.measures.count() == 7


def _item(label, **fields):
    return {"label": label, "fields": fields}


def test_diff_snapshots_lists_added_removed_and_changed_items_in_order():
    old = {
        "strategy": {"s": _item("Strategie", Titel="Alt", Einleitung="Text")},
        "guidelines": {
            "g1": _item("1. Kinder", Titel="Kinder"),
            "g2": _item("2. Arbeit", Titel="Arbeit"),
            "g3": _item("3. Alter", Titel="Alter"),
        },
        "measures": {
            "m1": _item("M1 Netzwerk", Titel="Netzwerk", Status="geplant", Budget="1 €"),
            "m2": _item("M2 Kampagne", Titel="Kampagne"),
        },
    }
    new = {
        "strategy": {"s": _item("Strategie", Titel="Neu", Einleitung="Text")},
        "guidelines": {
            "g4": _item("4. Hilfen", Titel="Hilfen"),
            "g1": _item("1. Kinder", Titel="Kinder"),
            "g3": _item("3. Alter in Würde", Titel="Alter in Würde"),
        },
        "measures": {
            "m1": _item("M1 Netzwerk", Titel="Netzwerk", Status="läuft", Budget="2 €"),
            "m3": _item("M3 Kita", Titel="Kita"),
        },
        "milestones": {"ms1": _item("1. Konzept", Termin="09/2019")},
    }
    assert versions.diff_snapshots(old, new) == [
        Change("strategy", "Strategie", "changed", (("Titel", "Alt", "Neu"),)),
        Change("guidelines", "4. Hilfen", "added"),
        Change(
            "guidelines", "3. Alter in Würde", "changed", (("Titel", "Alter", "Alter in Würde"),)
        ),
        Change("guidelines", "2. Arbeit", "removed"),
        Change(
            "measures",
            "M1 Netzwerk",
            "changed",
            (("Status", "geplant", "läuft"), ("Budget", "1 €", "2 €")),
        ),
        Change("measures", "M3 Kita", "added"),
        Change("measures", "M2 Kampagne", "removed"),
        Change("milestones", "1. Konzept", "added"),
    ]


def test_diff_snapshots_of_equal_versions_is_empty_and_new_fields_count_from_empty():
    same = {"goals": {"z": _item("1.1 Ziel", Zielwert="10,3 (2025)")}}
    assert versions.diff_snapshots(same, same) == []
    assert versions.diff_snapshots({}, {}) == []
    grown = {"goals": {"z": _item("1.1 Ziel", Zielwert="10,3 (2025)", Indikator="SGB II")}}
    assert versions.diff_snapshots(same, grown) == [
        Change("goals", "1.1 Ziel", "changed", (("Indikator", "", "SGB II"),))
    ]


@pytest.fixture
def revised(v1) -> Strategy:
    """A revision of version 1 with a lower target, one measure dropped, one guideline added."""
    copy = services.revise(strategy=v1)
    goal = _goals(copy).get(guideline__number=2, number=1)
    goal.target_value = 8.0
    goal.save()
    copy.measures.get(number=6).delete()
    Guideline.objects.create(strategy=copy, number=5, title="Mobilität sichern")
    return copy


def test_the_diff_of_two_versions_in_the_database_lists_exactly_what_changed(v1, revised):
    changes = versions.diff_snapshots(versions.snapshot(v1), versions.snapshot(revised))
    assert changes == [
        Change("guidelines", "5. Mobilität sichern", "added"),
        Change(
            "goals",
            "2.1 Weniger Menschen sind auf Grundsicherung angewiesen.",
            "changed",
            (("Zielwert", "8,4 (2025)", "8,0 (2025)"),),
        ),
        Change(
            "measures",
            "M6 Evaluationsinstrument für Maßnahmen entwickeln und anwenden",
            "removed",
        ),
    ]


def test_the_demo_revision_differs_by_its_introduction_target_and_measures(v1, v2):
    changes = versions.diff_snapshots(versions.snapshot(v1), versions.snapshot(v2))
    assert [(c.kind, c.label.split()[0], c.change) for c in changes] == [
        ("strategy", "Armutspräventionsstrategie", "changed"),
        ("goals", "1.1", "changed"),
        ("measures", "M8", "added"),
        ("measures", "M2", "removed"),
    ]
    assert [name for name, _old, _new in changes[0].fields] == ["Einleitung"]
    assert changes[1].fields == (("Zielwert", "13,8 (2025)", "12,8 (2025)"),)


def test_the_compare_page_shows_the_changes_with_german_labels(leader_client, revised, v1):
    response = leader_client.get(f"/planung/strategie/{revised.pk}/vergleich/")
    assert response.status_code == 200
    assert response.context["other"] == v1  # the predecessor by default
    groups = [
        (str(group["kind"]), [(c["change_label"], c["label"]) for c in group["changes"]])
        for group in response.context["groups"]
    ]
    assert groups == [
        ("Leitlinien", [("neu", "5. Mobilität sichern")]),
        ("Ziele", [("geändert", "2.1 Weniger Menschen sind auf Grundsicherung angewiesen.")]),
        (
            "Maßnahmen",
            [("entfallen", "M6 Evaluationsinstrument für Maßnahmen entwickeln und anwenden")],
        ),
    ]
    page = response.content.decode()
    assert '<span class="badge">neu</span> 5. Mobilität sichern' in page
    assert '<span class="badge">entfallen</span> M6 Evaluationsinstrument' in page
    assert '<span class="badge">geändert</span> 2.1 Weniger Menschen' in page
    assert "<del>8,4 (2025)</del>" in page and "<ins>8,0 (2025)</ins>" in page


def test_the_compare_page_compares_with_a_chosen_version(leader_client, revised, v2):
    response = leader_client.get(f"/planung/strategie/{revised.pk}/vergleich/?mit={v2.pk}")
    assert response.context["other"] == v2
    page = response.content.decode()
    # Version 3 is a copy of version 1: against version 2, measure 2 is back and M8 is gone.
    assert '<span class="badge">neu</span> M2 Sensibilisierungskampagne' in page
    assert '<span class="badge">entfallen</span> M8 Kita-Sozialarbeit' in page
    # Unknown or foreign versions are ignored rather than compared.
    assert (
        leader_client.get(f"/planung/strategie/{v2.pk}/vergleich/?mit=x").context["other"] is None
    )


def test_a_version_compared_with_itself_has_no_other(leader_client, v1):
    response = leader_client.get(f"/planung/strategie/{v1.pk}/vergleich/?mit={v1.pk}")
    assert response.status_code == 200 and response.context["other"] is None


def test_a_measure_deleted_in_the_revision_does_not_touch_the_adopted_version(v1, revised):
    assert Measure.objects.filter(strategy=v1, number=6).exists()
    assert not Measure.objects.filter(strategy=revised, number=6).exists()


def test_a_revision_records_every_copied_budget_line_in_the_history(v1, planner_client):
    planner = get_user_model().objects.get(username="test-planner")
    copy = services.revise(strategy=v1, user=planner)
    lines = BudgetLine.objects.filter(measure__strategy=copy)
    recorded = BudgetLine.history.filter(measure__strategy=copy, history_type="+")
    assert lines.count() == recorded.count() > 0
    assert {r.history_user for r in recorded} == {planner}
