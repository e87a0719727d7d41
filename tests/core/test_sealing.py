"""`core.sealing`, the one way a value is sealed at rest. Seals made before it existed still open: each user's key
derivation (secret, purpose salt, HKDF-SHA256) is unchanged, shown with seals made by the code it replaced."""

import pytest
from django.test import override_settings

from loket.core.sealing import SealUnreadable, person_number_keys, seal, sealed_under_current, unseal

# Made on 2026-12-07 by the modules' own Fernet code, before core.sealing, with these secrets.
NUMBER_KEY = "vector-secret-one"
SECRET_KEY = "vector-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
NUMBER_SEALED = "gAAAAABrFuLUXrzMcUWYUQwwUktH2mCU7njZM6Wb8ZoYk2CB0iiV7HbeF9ux7UQCBB8FbK6zjJEdvH0frjPKcWfuR8ZnnXNKZg=="
NUMBER_INDEX = "672b933e$98502df8be5d7620d50a24fb71bcab9e99c910f16e53e8d4ba121fcbd41ae7a1"
APP_KEY_SEALED = (
    "gAAAAABrFuLUkdsVinzS-0KmeHVAyuuDy2YIKn7Lfntqe2kH6vkrI5XmMEGfInZizfG50n1-3v4FXvEw5d-Ir0ItQlSqMNkWqsV4zdE8oEY18ghG"
    "Op9XB8s="
)
CREDENTIALS_SEALED = (
    "gAAAAABrFuLUIVV9o7I0Ux2wu_uyJ-zsA4UiCMU1UkVcQ9C1fFI5jaGM32633x49DrNiaFqT0dreYwSfqKR1pz7p8CwqfOqdQkj605qs7vWXRk4p"
    "QfzCg_8xkhuM9IUOG9ahFnRpLW_xehrpNMaPfqDY0FMDRcsCfjKGpQ2AJDEcXG0j_9Ux6bz6VZcbwr6eS8IQfY8q3CG87Cx46vLA_vSphOJ_P7HE"
    "xTvKt6basPOYtlThGzpc4DnBxt1G3OBZdnb3yeMR2wB1"
)


@override_settings(LOKET_PERSON_NUMBER_KEYS=[NUMBER_KEY])
def test_a_national_number_sealed_and_indexed_before_still_opens_and_matches():  # type: ignore[no-untyped-def]
    from loket.persons.number_protection import number_current_index, number_unseal

    assert number_unseal(NUMBER_SEALED) == "85073003328"
    assert number_current_index("85073003328") == NUMBER_INDEX


@override_settings(LOKET_PERSON_NUMBER_KEYS=["a-newer-secret", NUMBER_KEY])
def test_an_app_key_sealed_before_still_opens_under_an_old_secret():  # type: ignore[no-untyped-def]
    from loket.accounts.second_factor_keys import app_key_is_current, app_key_unseal

    assert app_key_unseal(APP_KEY_SEALED) == b"12345678901234567890"
    assert not app_key_is_current(APP_KEY_SEALED)  # a rekey would move it


@override_settings(
    SECRET_KEY="a-newer-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz", SECRET_KEY_FALLBACKS=[SECRET_KEY]
)
def test_vendor_credentials_sealed_before_still_open_with_the_fallback():  # type: ignore[no-untyped-def]
    from loket.vendors.credentials import Credentials, credentials_decrypt

    assert credentials_decrypt(CREDENTIALS_SEALED.encode("ascii")) == Credentials(
        scheme="basic", username="u", password="p"
    )


def test_a_purpose_s_seal_does_not_open_for_another_purpose_or_secret():  # type: ignore[no-untyped-def]
    sealed = seal(b"geheim", secrets=["s1"], salt=b"purpose.one")
    assert unseal(sealed, secrets=["s0", "s1"], salt=b"purpose.one") == b"geheim"
    assert sealed_under_current(sealed, secrets=["s1", "s0"], salt=b"purpose.one")
    assert not sealed_under_current(sealed, secrets=["s0", "s1"], salt=b"purpose.one")
    for secrets, salt in ((["s1"], b"purpose.two"), (["s2"], b"purpose.one")):
        with pytest.raises(SealUnreadable):
            unseal(sealed, secrets=secrets, salt=salt)
    assert seal(b"geheim", secrets=["s1"], salt=b"purpose.one") != sealed  # a random IV per seal
    for garbage in ("", "ü-not-a-token", sealed[:-4] + "AAAA"):
        with pytest.raises(SealUnreadable):
            unseal(garbage, secrets=["s1"], salt=b"purpose.one")


@override_settings(LOKET_PERSON_NUMBER_KEYS=["", ""])
def test_no_secret_configured_is_a_clear_error():  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="LOKET_PERSON_NUMBER_KEYS holds no key"):
        person_number_keys()
    with pytest.raises(ValueError, match="No secret to seal with"):
        seal(b"x", secrets=[], salt=b"p")
