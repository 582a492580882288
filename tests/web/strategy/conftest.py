"""The demo strategy as the tests find it: version 1 adopted, version 2 a draft revision."""

import pytest
from django.contrib.auth import get_user_model

from sozialplanung.demo.strategy import PROVIDER_ACTOR
from sozialplanung.web.network.models import Actor
from sozialplanung.web.strategy.models import PriorityList, Strategy


@pytest.fixture
def v1() -> Strategy:
    return Strategy.objects.get(version=1)


@pytest.fixture
def v2() -> Strategy:
    return Strategy.objects.get(version=2)


@pytest.fixture
def saved_list(v1) -> PriorityList:
    return PriorityList.objects.get(strategy=v1)


@pytest.fixture
def family_centre() -> Actor:
    """The actor responsible for measure 4 (and 8 in version 2)."""
    return Actor.objects.get(name=PROVIDER_ACTOR)


@pytest.fixture
def member_client(provider_client, family_centre):
    """The provider test user, made a member of the family centre."""
    family_centre.members.add(get_user_model().objects.get(username="test-provider"))
    return provider_client
