"""factory_boy factories for every model; tests build what they need from these."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from core.models import GroupHeadAssignment, OfficeGroup, Organization, Person


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"สำนักงานเขตพื้นที่การศึกษาประถมศึกษาทดสอบ เขต {n}")
    short_name = factory.Sequence(lambda n: f"สพป.ทดสอบ เขต {n}")
    kind = Organization.Kind.PRIMARY


class OfficeGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficeGroup

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"กลุ่มทดสอบ {n}")
    order = factory.Sequence(lambda n: n)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "secret-pass")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set([Group.objects.get(name=role) for role in extracted])
        if create:
            self.save()


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    organization = factory.SubFactory(OrganizationFactory)
    title = "นาง"
    first_name = factory.Sequence(lambda n: f"ทดสอบ{n}")
    last_name = "ใจดี"
    position = "นักวิชาการศึกษา"


class GroupHeadAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupHeadAssignment

    group = factory.SubFactory(OfficeGroupFactory)
    person = factory.SubFactory(
        PersonFactory, organization=factory.SelfAttribute("..group.organization")
    )
    kind = GroupHeadAssignment.Kind.HEAD
    start_date = datetime.date(2020, 10, 1)


def make_staff(organization, *, roles=(), group=None, **person_fields) -> Person:
    """A person of ``organization`` with a login holding ``roles``."""
    user = UserFactory(roles=list(roles))
    return PersonFactory(
        organization=organization, group=group, user=user, **person_fields
    )
