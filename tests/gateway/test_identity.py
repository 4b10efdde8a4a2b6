"""Identifiers become keyed references; malformed ones are named, never quoted."""

from __future__ import annotations

import pytest

from gateway.errors import ValidationFailed
from gateway.identity import customer_ref, id_number_hash, normalise_id_number, normalise_phone


@pytest.mark.parametrize(
    "raw",
    ["+8613800000001", "13800000001", "138 0000 0001", "+86 138-0000-0001", "008613800000001"],
)
def test_phone_forms_normalise_to_e164(raw: str) -> None:
    assert normalise_phone(raw) == "+8613800000001"


@pytest.mark.parametrize("raw", ["", "12345", "+0123456789", "1380000000a"])
def test_malformed_phone_names_the_field_without_the_value(raw: str) -> None:
    with pytest.raises(ValidationFailed) as info:
        normalise_phone(raw)
    assert "customer.phone" in info.value.errors
    assert raw not in str(info.value.errors) or raw == ""


def test_customer_ref_is_stable_keyed_and_opaque() -> None:
    ref = customer_ref("pepper-1", "13800000001")
    assert ref == customer_ref("pepper-1", "+86 138 0000 0001")
    assert ref != customer_ref("pepper-2", "13800000001")
    assert ref.startswith("cus_")
    assert "13800000001" not in ref


def test_id_number_check_character_is_verified() -> None:
    assert normalise_id_number("11010519491231002x") == "11010519491231002X"
    with pytest.raises(ValidationFailed):
        normalise_id_number("110105194912310021")
    assert id_number_hash("p", "11010519491231002X").startswith("idh_")
