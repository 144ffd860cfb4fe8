import datetime

import pytest
from django.core.exceptions import ValidationError

from core.models import GroupHeadAssignment, Person
from core.services import organization_add_standard_groups
from tests.factories import (
    GroupHeadAssignmentFactory,
    OfficeGroupFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("นางสาว", "นางสาวเพ็ญประภา มีเพียร"),
        ("ดร.", "ดร.เพ็ญประภา มีเพียร"),
        ("ว่าที่ร้อยตรี", "ว่าที่ร้อยตรี เพ็ญประภา มีเพียร"),
        ("", "เพ็ญประภา มีเพียร"),
    ],
)
def test_full_name_follows_thai_title_spacing(title, expected):
    person = Person(title=title, first_name="เพ็ญประภา", last_name="มีเพียร")
    assert person.full_name == expected


def test_current_head_prefers_permanent_head_over_acting(office):
    group = OfficeGroupFactory(organization=office)
    acting = GroupHeadAssignmentFactory(
        group=group,
        kind=GroupHeadAssignment.Kind.ACTING,
        start_date=datetime.date(2024, 1, 1),
    )
    assert group.current_head_assignment(datetime.date(2024, 2, 1)) == acting
    permanent = GroupHeadAssignmentFactory(
        group=group, start_date=datetime.date(2024, 3, 1)
    )
    assert group.current_head_assignment(datetime.date(2024, 3, 2)) == permanent
    assert group.current_head_assignment(datetime.date(2023, 1, 1)) is None


def test_signature_position_names_acting_heads():
    assignment = GroupHeadAssignment(kind=GroupHeadAssignment.Kind.ACTING)
    assignment.group = OfficeGroupFactory.build(name="กลุ่มบริหารงานบุคคล")
    assert assignment.signature_position == "รักษาการในตำแหน่งผู้อำนวยการกลุ่มบริหารงานบุคคล"


def test_assignment_cannot_end_before_it_starts(office):
    group = OfficeGroupFactory(organization=office)
    assignment = GroupHeadAssignment(
        group=group,
        person=PersonFactory(organization=office),
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2023, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        assignment.full_clean()
    assert "วันที่สิ้นสุดต้องไม่ก่อนวันที่เริ่ม" in str(error.value)


def test_standard_groups_are_added_once(office):
    from django.core.management import call_command

    call_command("loaddata", "standard_groups", verbosity=0)
    assert organization_add_standard_groups(organization=office) == 10
    assert organization_add_standard_groups(organization=office) == 0
    assert office.groups.filter(name="กลุ่มนโยบายและแผน").exists()
