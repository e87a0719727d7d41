"""The back office's passwords, stored with a pepper (ASVS 2.4.5).

A stored password is Django's PBKDF2-SHA256 (its salt per password and its work factor, which Django raises with each
release) not of the password itself but of HMAC-SHA256(pepper, password). The pepper is a key derived with HKDF from a
secret of `settings.LOKET_PERSON_NUMBER_KEYS` (`core.sealing`, a salt of its own), which is in neither the database nor
a backup: a stolen table of hashes cannot be guessed at without it.

The encoded string names the pepper it was made with by a key id, the first 8 hex digits of a SHA-256 of the derived
pepper (nothing of the secret leaks from it), as national register numbers' indexes do:
`loket_pbkdf2_peppered$<key id>$<iterations>$<salt>$<hash>`. The first secret is current; the others are old ones
still read during a rotation. A hash made with an old secret (or an older work factor) still verifies and
`must_update` says so, so Django hashes the password again with the current one at the person's next sign-in
(`check_password`'s setter). A hash whose secret is no longer configured never verifies: the sign-in fails as with a
wrong password and an ERROR names the key id on logger `loket.security`. Keep an old secret until nobody's password
still needs it (`accounts.selectors.password_keys_report`, shown by `manage.py person_numbers_rekey`;
docs/operations.md).

Django's own hashers stay behind this one in PASSWORD_HASHERS: a password stored before the pepper still verifies and
is hashed again with the pepper at the next sign-in."""

import hashlib
import hmac
import logging
from typing import Any

from django.contrib.auth.hashers import PBKDF2PasswordHasher, is_password_usable, mask_hash
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.translation import gettext_noop

from loket.core.sealing import derived_key, person_number_keys

PEPPER_SALT = b"loket.accounts.password.pepper"
KEY_ID_LENGTH = 8
ALGORITHM = "loket_pbkdf2_peppered"
security_log = logging.getLogger("loket.security")


def password_pepper(secret: str) -> bytes:
    """The 32-byte pepper derived from one secret of LOKET_PERSON_NUMBER_KEYS."""
    return derived_key(secret, PEPPER_SALT)


def password_key_id(secret: str) -> str:
    """The id a hash names its pepper by: a hash of the derived pepper, which gives neither it nor the secret away."""
    return hashlib.sha256(password_pepper(secret)).hexdigest()[:KEY_ID_LENGTH]


def password_current_key_id() -> str:
    return password_key_id(person_number_keys()[0])


def _peppered(password: str | bytes, secret: str) -> str:
    return hmac.new(password_pepper(secret), force_bytes(password), hashlib.sha256).hexdigest()


class PepperedPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """Django's PBKDF2-SHA256 of HMAC-SHA256(pepper, password), with the pepper's key id in the encoded string."""

    algorithm = ALGORITHM

    def encode(self, password: str, salt: str, iterations: int | None = None) -> str:
        return self.encode_with(password, salt, iterations, secret=person_number_keys()[0])

    def encode_with(self, password: str | bytes, salt: str, iterations: int | None, *, secret: str) -> str:
        """The hash under one given secret (`encode` uses the current one)."""
        if password is None:  # never the hash of the text "None"
            raise TypeError("A password to hash must be given.")
        inner = super().encode(_peppered(password, secret), salt, iterations)
        algorithm, _separator, rest = inner.partition("$")
        return f"{algorithm}${password_key_id(secret)}${rest}"

    def decode(self, encoded: str) -> dict[str, Any]:
        algorithm, key_id, iterations, salt, digest = encoded.split("$", 4)
        if algorithm != self.algorithm:
            raise ValueError(f"Not a {self.algorithm} hash.")
        return {"algorithm": algorithm, "key_id": key_id, "iterations": int(iterations), "salt": salt, "hash": digest}

    def verify(self, password: str, encoded: str) -> bool:
        decoded = self.decode(encoded)
        secrets = [secret for secret in person_number_keys() if password_key_id(secret) == decoded["key_id"]]
        if not secrets:
            security_log.error(
                "password: a stored password hash is peppered with key %s, which LOKET_PERSON_NUMBER_KEYS no longer "
                "holds; the sign-in fails (put the old key back, or give the person a new password)",
                decoded["key_id"],
            )
            # As long as a wrong password takes, so the answer's time does not tell this case apart.
            self.encode_with(password, decoded["salt"], decoded["iterations"], secret=person_number_keys()[0])
            return False
        # More than one only when two configured secrets' ids collide (2^-32): each is tried.
        return any(
            constant_time_compare(encoded, self.encode_with(password, decoded["salt"], decoded["iterations"], secret=s))
            for s in secrets
        )

    def must_update(self, encoded: str) -> bool:
        """Hashed again at the next sign-in: made with an old secret, or with another work factor (Django's rule)."""
        return self.decode(encoded)["key_id"] != password_current_key_id() or super().must_update(encoded)

    def safe_summary(self, encoded: str) -> dict[Any, Any]:
        decoded = self.decode(encoded)
        return {
            gettext_noop("algorithm"): decoded["algorithm"],
            gettext_noop("key"): decoded["key_id"],
            gettext_noop("iterations"): decoded["iterations"],
            gettext_noop("salt"): mask_hash(decoded["salt"]),
            gettext_noop("hash"): mask_hash(decoded["hash"]),
        }


def password_key_of(encoded: str) -> str | None:
    """The key id a stored password was peppered with; None for a hash without a pepper or no usable password."""
    if not encoded or not is_password_usable(encoded) or not encoded.startswith(f"{ALGORITHM}$"):
        return None
    return encoded.split("$", 2)[1]
