"""The back office's two-step sign-in as a person with an authenticator app does it: the password, then the code of
the app. Codes are computed here from RFC 6238 itself (HMAC-SHA1, 30-second steps, 6 digits), not with django-otp,
so a test also shows that the key the Loket hands out works in any standard app."""

import hashlib
import hmac
import time
from base64 import b32decode

from django.test import Client

CODE_PAGE = "/helpdesk/login/code/"


def rfc6238_code(key: bytes, at: float | None = None, *, step: int = 30, digits: int = 6) -> str:
    counter = int((time.time() if at is None else at) // step)
    mac = hmac.new(key, counter.to_bytes(8, "big"), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = int.from_bytes(mac[offset : offset + 4], "big") & 0x7FFFFFFF
    return f"{value % 10**digits:0{digits}d}"


def key_from_page(page: str) -> bytes:
    """The key the enrolment page shows as text (base32 in groups of four), as a person types it into an app."""
    start = page.index("<code>") + len("<code>")
    secret = page[start : page.index("</code>", start)].replace(" ", "")
    return b32decode(secret + "=" * (-len(secret) % 8))


def helpdesk_sign_in(client: Client, username: str, password: str, *, key: bytes | None = None, next_url: str = "/"):  # type: ignore[no-untyped-def]
    """Sign in through both steps; returns (the code step's answer, the app's key). A sign-in that sets up the app
    takes the key the page shows; later ones pass the `key` returned then.

    One code counts once per 30-second step (the replay guard), and the guard accepts the next step's code too.
    A test that signs the same person in a third time within one step sets the device's last used step back: what
    such a test checks is sessions, not the guard (tests/accounts/test_second_factor.py checks the guard)."""
    from loket.accounts.models import SecondFactorDevice

    response = client.post("/helpdesk/login/", {"username": username, "password": password, "next": next_url})
    assert response.status_code == 302 and response["Location"] == CODE_PAGE, response.content[:300]
    page = client.get(CODE_PAGE).content.decode()
    enrolling = "<code>" in page
    if enrolling:
        key = key_from_page(page)
    assert key is not None, "the app was set up before: pass its key"
    now_step = int(time.time() // 30)
    device = None if enrolling else SecondFactorDevice.objects.get(user__username=username, confirmed=True)
    if device is not None and device.last_t >= now_step + 1:
        SecondFactorDevice.objects.filter(pk=device.pk).update(last_t=now_step - 1)
    used = device.last_t if device is not None else -1
    at = time.time() if used < now_step else time.time() + 30
    answer = client.post(CODE_PAGE, {"code": rfc6238_code(key, at)})
    return answer, key
