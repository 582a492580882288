import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sozialplanung.analytics.goals import (
    GoalStatus,
    Tracking,
    progress_series,
    target_path,
    track_goal,
)

# A decrease goal (SGB II rate from 10 % in 2020 to 8 % in 2030, path falls by 0.2 a year) and an
# increase goal (childcare rate from 40 % to 60 %, path rises by 2 a year).
DECREASE = {"baseline_year": 2020, "baseline_value": 10.0, "target_year": 2030, "target_value": 8.0}
INCREASE = {
    "baseline_year": 2020,
    "baseline_value": 40.0,
    "target_year": 2030,
    "target_value": 60.0,
}
HOLD = {"baseline_year": 2020, "baseline_value": 5.0, "target_year": 2030, "target_value": 5.0}
RANK = {GoalStatus.BEHIND: 0, GoalStatus.ON_TRACK: 1, GoalStatus.REACHED: 2}


def latest(year, value, goal):
    """Track a goal whose series holds the baseline observation and one later observation."""
    return track_goal([goal["baseline_year"], year], [goal["baseline_value"], value], **goal)


# Target path -------------------------------------------------------------------------------------


def test_the_path_runs_straight_from_baseline_to_target_one_point_a_year():
    path = target_path(2020, 10.0, 2024, 8.0)

    assert [year for year, _ in path] == [2020, 2021, 2022, 2023, 2024]
    assert [value for _, value in path] == pytest.approx([10.0, 9.5, 9.0, 8.5, 8.0])
    assert path[0] == (2020, 10.0)
    assert path[-1] == (2024, 8.0)


def test_a_hold_path_stays_exactly_at_the_baseline():
    assert target_path(2020, 3.7, 2023, 3.7) == [(2020, 3.7), (2021, 3.7), (2022, 3.7), (2023, 3.7)]


def test_the_tracking_carries_the_target_path():
    result = latest(2025, 9.0, DECREASE)

    assert result.path == tuple(target_path(2020, 10.0, 2030, 8.0))
    assert len(result.path) == 11


# A decrease goal ---------------------------------------------------------------------------------


def test_a_decrease_goal_exactly_on_the_path_is_on_track():
    result = latest(2025, 9.0, DECREASE)

    assert result.status is GoalStatus.ON_TRACK
    assert (result.latest_year, result.latest_value) == (2025, 9.0)
    assert result.progress == 0.5
    assert result.expected_value == pytest.approx(9.0)


def test_a_decrease_goal_slightly_short_of_the_path_is_on_track_within_the_tolerance():
    result = latest(2025, 9.08, DECREASE)

    assert result.status is GoalStatus.ON_TRACK
    assert result.progress == pytest.approx(0.46)


def test_a_decrease_goal_beyond_the_tolerance_is_behind():
    result = latest(2025, 9.15, DECREASE)

    assert result.status is GoalStatus.BEHIND
    assert result.progress == pytest.approx(0.425)


def test_a_decrease_goal_moving_the_wrong_way_is_behind_with_negative_progress():
    result = latest(2025, 10.5, DECREASE)

    assert result.status is GoalStatus.BEHIND
    assert result.progress == pytest.approx(-0.25)


def test_a_decrease_goal_at_or_below_the_target_is_reached_even_early():
    assert latest(2023, 8.0, DECREASE).status is GoalStatus.REACHED
    assert latest(2023, 8.0, DECREASE).progress == 1.0
    assert latest(2027, 7.5, DECREASE).status is GoalStatus.REACHED
    assert latest(2027, 7.5, DECREASE).progress == pytest.approx(1.25)


def test_a_decrease_goal_ahead_of_the_path_but_short_of_the_target_is_on_track():
    result = latest(2022, 8.5, DECREASE)

    assert result.status is GoalStatus.ON_TRACK
    assert result.progress == pytest.approx(0.75)


# An increase goal --------------------------------------------------------------------------------


def test_an_increase_goal_on_the_path_is_on_track():
    result = latest(2024, 48.0, INCREASE)

    assert result.status is GoalStatus.ON_TRACK
    assert result.progress == pytest.approx(0.4)
    assert result.expected_value == pytest.approx(48.0)


def test_an_increase_goal_within_the_tolerance_is_on_track_and_beyond_it_behind():
    assert latest(2024, 47.2, INCREASE).status is GoalStatus.ON_TRACK  # progress 0.36 >= 0.35
    assert latest(2024, 46.8, INCREASE).status is GoalStatus.BEHIND  # progress 0.34 < 0.35
    assert latest(2024, 39.0, INCREASE).status is GoalStatus.BEHIND


def test_an_increase_goal_at_or_above_the_target_is_reached():
    assert latest(2029, 60.0, INCREASE).status is GoalStatus.REACHED
    assert latest(2029, 61.0, INCREASE).progress == pytest.approx(1.05)
    assert latest(2029, 61.0, INCREASE).status is GoalStatus.REACHED


def test_a_wider_tolerance_lets_a_shortfall_pass():
    assert latest(2024, 46.0, INCREASE).status is GoalStatus.BEHIND
    assert track_goal([2024], [46.0], **INCREASE, tolerance=0.15).status is GoalStatus.ON_TRACK


# Beyond the target year --------------------------------------------------------------------------


def test_beyond_the_target_year_the_path_stays_at_the_target():
    result = latest(2032, 8.5, DECREASE)

    assert result.status is GoalStatus.BEHIND
    assert result.expected_value == 8.0
    assert result.progress == pytest.approx(0.75)


def test_beyond_the_target_year_a_value_within_the_tolerance_of_the_target_is_on_track():
    assert latest(2032, 8.05, DECREASE).status is GoalStatus.ON_TRACK  # progress 0.975
    assert latest(2032, 8.15, DECREASE).status is GoalStatus.BEHIND  # progress 0.925
    assert latest(2032, 7.9, DECREASE).status is GoalStatus.REACHED


# Hold goals --------------------------------------------------------------------------------------


def test_a_hold_goal_within_the_band_is_on_track_before_the_target_year():
    for value in (5.0, 5.2, 4.8):
        result = latest(2025, value, HOLD)

        assert result.status is GoalStatus.ON_TRACK, value
        assert result.progress is None
        assert result.expected_value == 5.0


def test_a_hold_goal_outside_the_band_is_behind_in_either_direction():
    assert latest(2025, 5.3, HOLD).status is GoalStatus.BEHIND
    assert latest(2025, 4.7, HOLD).status is GoalStatus.BEHIND
    assert latest(2030, 5.5, HOLD).status is GoalStatus.BEHIND


def test_a_hold_goal_within_the_band_is_reached_from_the_target_year_on():
    assert latest(2030, 5.1, HOLD).status is GoalStatus.REACHED
    assert latest(2033, 4.9, HOLD).status is GoalStatus.REACHED
    assert latest(2029, 5.0, HOLD).status is GoalStatus.ON_TRACK


def test_a_hold_goal_at_zero_allows_only_a_tiny_band():
    goal = {"baseline_year": 2020, "baseline_value": 0.0, "target_year": 2030, "target_value": 0.0}

    assert latest(2025, 0.0, goal).status is GoalStatus.ON_TRACK
    assert latest(2025, 0.001, goal).status is GoalStatus.BEHIND
    assert latest(2030, 0.0, goal).status is GoalStatus.REACHED


# The series --------------------------------------------------------------------------------------


def test_missing_values_are_ignored_when_finding_the_latest_observation():
    years = [2020, 2021, 2022, 2023, 2024]
    values = [10.0, 9.8, 9.6, None, math.nan]

    result = track_goal(years, values, **DECREASE)

    assert (result.latest_year, result.latest_value) == (2022, 9.6)
    assert result.progress == pytest.approx(0.2)
    assert result.status is GoalStatus.ON_TRACK


def test_unsorted_years_give_the_latest_year_not_the_last_entry():
    result = track_goal(np.array([2024, 2021, 2020]), [9.2, 9.9, 10.0], **DECREASE)

    assert (result.latest_year, result.latest_value) == (2024, 9.2)
    assert result.status is GoalStatus.ON_TRACK


def test_years_before_the_baseline_never_count():
    result = track_goal([2015, 2018, 2020], [7.0, 7.5, 10.0], **DECREASE)

    assert result.status is GoalStatus.NO_DATA
    assert result.latest_year is None


def test_a_missing_baseline_value_is_taken_from_the_series():
    for missing in (None, math.nan):
        goal = {**DECREASE, "baseline_value": missing}

        result = track_goal([2020, 2025], [10.0, 9.0], **goal)

        assert result == track_goal([2025], [9.0], **DECREASE)
        assert result.progress == 0.5


def test_a_given_baseline_value_wins_over_the_series():
    result = track_goal([2020, 2025], [12.0, 9.0], **DECREASE)

    assert result.progress == 0.5
    assert result.path[0] == (2020, 10.0)


def test_no_observation_after_the_baseline_year_gives_no_data_but_the_path():
    for years, values in (([], []), ([2020], [10.0]), ([2020, 2021, 2022], [10.0, None, np.nan])):
        result = track_goal(years, values, **DECREASE)

        assert result == Tracking(
            GoalStatus.NO_DATA, None, None, None, None, tuple(target_path(2020, 10.0, 2030, 8.0))
        )


def test_a_missing_baseline_not_in_the_series_or_a_missing_target_gives_no_data():
    no_baseline = {**DECREASE, "baseline_value": None}
    no_target = {**DECREASE, "target_value": math.nan}

    expected = Tracking(GoalStatus.NO_DATA, None, None, None, None, ())
    assert track_goal([2021, 2025], [9.9, 9.0], **no_baseline) == expected
    assert track_goal([2020, 2025], [None, 9.0], **no_baseline) == expected
    assert track_goal([2020, 2025], [10.0, 9.0], **no_target) == expected


def test_the_status_values_are_the_stored_strings():
    assert [s.value for s in GoalStatus] == ["reached", "on_track", "behind", "no_data"]
    assert GoalStatus.ON_TRACK == "on_track"


def test_progress_series_gives_the_share_of_the_way_for_every_value():
    progress = progress_series([10.0, 9.0, np.nan, 7.0], baseline_value=10.0, target_value=8.0)

    np.testing.assert_allclose(progress, [0.0, 0.5, np.nan, 1.5])
    assert np.isnan(progress_series([1.0, 2.0], baseline_value=1.0, target_value=1.0)).all()


# Errors ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("target_year", [2020, 2019])
def test_a_target_year_not_after_the_baseline_year_is_an_error(target_year):
    goal = {**DECREASE, "target_year": target_year}

    with pytest.raises(ValueError, match="must lie after baseline year 2020"):
        track_goal([2021], [9.0], **goal)
    with pytest.raises(ValueError, match="must lie after baseline year 2020"):
        target_path(2020, 10.0, target_year, 8.0)


def test_duplicate_years_are_an_error_naming_them():
    with pytest.raises(ValueError, match=r"duplicate years in the series: \[2022\]"):
        track_goal([2021, 2022, 2022], [9.9, 9.8, None], **DECREASE)


def test_series_of_different_length_are_an_error():
    with pytest.raises(ValueError, match="equal length"):
        track_goal([2021, 2022], [9.9], **DECREASE)


def test_fractional_years_and_negative_tolerance_are_errors():
    with pytest.raises(ValueError, match="whole numbers"):
        track_goal([2021.5], [9.9], **DECREASE)
    with pytest.raises(ValueError, match="tolerance"):
        track_goal([2021], [9.9], **DECREASE, tolerance=-0.1)


# Properties --------------------------------------------------------------------------------------

level = st.floats(-1e4, 1e4, allow_nan=False)
whole_level = st.integers(-1000, 1000).map(float)  # goals a whole unit apart, so paths stay exact


@st.composite
def goals(draw, hold=False):
    """A goal starting in 2000..2020 and a latest year up to five years past its target."""
    baseline_year = draw(st.integers(2000, 2020))
    target_year = baseline_year + draw(st.integers(1, 15))
    baseline_value = draw(whole_level)
    target_value = (
        baseline_value if hold else draw(whole_level.filter(lambda v: v != baseline_value))
    )
    goal = {
        "baseline_year": baseline_year,
        "baseline_value": baseline_value,
        "target_year": target_year,
        "target_value": target_value,
    }
    return goal, draw(st.integers(baseline_year + 1, target_year + 5))


@given(goals(), level, st.floats(0, 1e4), st.floats(0, 0.5))
def test_moving_the_latest_value_towards_the_goal_never_worsens_the_status(
    goal_and_year, value, step, tolerance
):
    goal, year = goal_and_year
    direction = 1.0 if goal["target_value"] > goal["baseline_value"] else -1.0

    before = track_goal([year], [value], **goal, tolerance=tolerance)
    after = track_goal([year], [value + direction * step], **goal, tolerance=tolerance)

    assert RANK[after.status] >= RANK[before.status]
    assert after.progress >= before.progress


@given(goals(hold=True), st.floats(0, 1e4), st.floats(0, 1), st.floats(0, 0.5))
def test_moving_closer_to_the_level_of_a_hold_goal_never_worsens_the_status(
    goal_and_year, distance, shrink, tolerance
):
    goal, year = goal_and_year
    far = goal["baseline_value"] + distance
    near = goal["baseline_value"] + distance * shrink

    before = track_goal([year], [far], **goal, tolerance=tolerance)
    after = track_goal([year], [near], **goal, tolerance=tolerance)

    assert RANK[after.status] >= RANK[before.status]


@given(goals(), level)
def test_mirroring_all_values_changes_neither_status_nor_progress(goal_and_year, value):
    goal, year = goal_and_year
    mirrored = {**goal, "baseline_value": -goal["baseline_value"]}
    mirrored["target_value"] = -goal["target_value"]

    original = track_goal([year], [value], **goal)
    flipped = track_goal([year], [-value], **mirrored)

    assert (flipped.status, flipped.progress) == (original.status, original.progress)


@given(goals())
def test_a_value_on_the_target_path_is_never_behind(goal_and_year):
    goal, year = goal_and_year
    on_path = dict(target_path(*goal.values()))[min(year, goal["target_year"])]

    result = track_goal([year], [on_path], **goal)

    assert result.status is (
        GoalStatus.REACHED if year >= goal["target_year"] else GoalStatus.ON_TRACK
    )
