"""A small national network: OBEC above two regions, each over offices."""

import pytest

from core.models import Organization
from core.roles import Role
from tests.factories import OrganizationFactory, make_staff


def node(name, parent=None, kind=Organization.Kind.REGION):
    return OrganizationFactory(name=name, short_name=name, kind=kind, parent=parent)


@pytest.fixture
def network(db):
    obec = node("สพฐ.", kind=Organization.Kind.OBEC)
    north = node("ศธภ.เหนือ", obec)
    south = node("ศธภ.ใต้", obec)
    return {
        "obec": obec,
        "north": north,
        "south": south,
        "n1": OrganizationFactory(short_name="สพป.เหนือ 1", parent=north),
        "n2": OrganizationFactory(short_name="สพม.เหนือ 2", parent=north),
        "s1": OrganizationFactory(short_name="สพป.ใต้ 1", parent=south),
    }


@pytest.fixture
def north_overseer(network):
    return make_staff(network["north"], roles=[Role.OVERSEER]).user


@pytest.fixture
def obec_overseer(network):
    return make_staff(network["obec"], roles=[Role.OVERSEER]).user
