"""`core.statements.one_by`: one row by a unique field, as the ORM's `.filter(...).first()` answers it."""

import pytest

from loket.core.statements import one_by
from loket.organisations.models import Organisation
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def test_one_row_by_its_key_or_a_unique_field_as_the_orm_reads_it() -> None:
    user = make_user("gert-gemeente")
    found = one_by(type(user), "id", user.pk)
    assert found is not None and found.pk == user.pk
    assert {f.attname: getattr(found, f.attname) for f in type(user)._meta.concrete_fields} == {
        f.attname: getattr(user, f.attname) for f in type(user)._meta.concrete_fields
    }
    assert one_by(type(user), "username", "gert-gemeente").pk == user.pk
    assert one_by(type(user), "id", user.pk + 1000) is None


def test_a_field_that_is_not_unique_is_refused() -> None:
    with pytest.raises(ValueError, match="not unique"):
        one_by(Organisation, "name", "Aalst")
