"""A vendor's encrypted credentials stay readable while SECRET_KEY is replaced (ASVS 1.6.3): the old key in
SECRET_KEY_FALLBACKS opens them, new ones are made with the new key, and without the old key they stay shut."""

from loket.vendors.credentials import BASIC, Credentials, credentials_decrypt, credentials_encrypt

OLD, NEW = "oude-geheime-sleutel-" * 3, "nieuwe-geheime-sleutel-" * 3


def test_the_old_key_opens_what_it_encrypted_only_while_it_is_a_fallback(settings):  # type: ignore[no-untyped-def]
    credentials = Credentials(scheme=BASIC, username="gemeente", password="s3cret")
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = OLD, []
    under_old = credentials_encrypt(credentials)

    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = NEW, [OLD]
    assert credentials_decrypt(under_old) == credentials
    under_new = credentials_encrypt(credentials)

    settings.SECRET_KEY_FALLBACKS = []
    assert credentials_decrypt(under_old) is None
    assert credentials_decrypt(under_new) == credentials
    settings.SECRET_KEY = OLD  # the new key is never made with the old one
    assert credentials_decrypt(under_new) is None
