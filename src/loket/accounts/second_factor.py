"""The back office's second factor (ASVS 1.2.4, 2.8, 4.3.1): after the right password a helpdesk person is not yet
signed in. The session holds a pending sign-in for `LOKET_SECOND_FACTOR_SECONDS`; it becomes a real one only with
a valid code of the person's authenticator app (TOTP, RFC 6238: `SecondFactorDevice`, on django-otp's device, with
its replay guard and its back-off after wrong codes, the key sealed: `second_factor_keys.py`). A person without a
confirmed app sets one up at that step: the key is shown once as a QR code and as text, and is confirmed by a first
valid code (the enrolment is audited and mailed to the person). A key no configured secret opens refuses the sign-in
with a message, logged and audited, never a server error.
`manage.py second_factor_reset <username>` removes a lost app; the next sign-in sets up a new one.

People who sign in at the government's identity provider have their second factor there; this is only the
password login of the back office."""

import logging
import time
from dataclasses import dataclass
from typing import Any

import segno
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from loket.accounts.models import SecondFactorDevice, User
from loket.accounts.second_factor_keys import SealUnreadable, app_key_new
from loket.core.audit import audit_record
from loket.core.errors import DomainError
from loket.core.tasks import send_email

PENDING_KEY = "_loket_second_factor"
DEVICE_NAME = "Loket back office"
security_log = logging.getLogger("loket.security")


class SecondFactorError(DomainError):
    code = "second_factor"


@dataclass(frozen=True)
class Pending:
    """A password accepted in this session, waiting for its code."""

    user: User
    next: str
    wrong_codes: int
    password_change: bool  # the password failed the policy: once signed in, it must be changed first


def pending_start(session: SessionBase, *, user: User, next_url: str, password_change: bool = False) -> None:
    """The password was right: the session (with a new key, against fixation) waits for the code."""
    session.cycle_key()
    session[PENDING_KEY] = {
        "user": user.pk,
        "since": time.time(),
        "next": next_url,
        "wrong": 0,
        "change": password_change,
    }


def pending_of(session: SessionBase) -> Pending | None:
    """The pending sign-in of this session, if any and not expired (an expired one is dropped)."""
    data = session.get(PENDING_KEY)
    if not isinstance(data, dict):
        return None
    if time.time() - float(data.get("since", 0)) > settings.LOKET_SECOND_FACTOR_SECONDS:
        session.pop(PENDING_KEY, None)
        return None
    user = User.objects.filter(pk=int(data.get("user") or 0), is_active=True, is_staff=True).first()
    if user is None:
        session.pop(PENDING_KEY, None)
        return None
    return Pending(
        user=user,
        next=str(data.get("next") or ""),
        wrong_codes=int(data.get("wrong", 0)),
        password_change=bool(data.get("change")),
    )


def pending_end(session: SessionBase) -> None:
    session.pop(PENDING_KEY, None)


def confirmed_device(user: User) -> SecondFactorDevice | None:
    return SecondFactorDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def enrolment_device(user: User) -> SecondFactorDevice:
    """The person's unconfirmed app being set up (one, kept across reloads so the QR code does not change). One whose
    sealed key no configured secret opens any more (a rotation between two page loads) was never confirmed: it is
    replaced by a new one."""
    device = SecondFactorDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is not None:
        try:
            device.bin_key  # noqa: B018 - opening the seal is the check
        except SealUnreadable:
            device.delete()
            device = None
    return device or SecondFactorDevice.objects.create(
        user=user, name=DEVICE_NAME, confirmed=False, sealed_key=app_key_new()
    )


@dataclass(frozen=True)
class Enrolment:
    qr_data_uri: str  # an SVG image of the otpauth:// address
    secret: str  # the key in base32, in groups of four, for typing into an app


def enrolment_of(device: SecondFactorDevice) -> Enrolment:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return Enrolment(qr_data_uri=segno.make(device.config_url, error="m").svg_data_uri(scale=5), secret=grouped)


def _normalised(code: str) -> str:
    return "".join(ch for ch in code if not ch.isspace())[:12]


def code_check(session: SessionBase, pending: Pending, code: str, *, address: str) -> User:
    """Check `code` against the person's app (confirming it at enrolment). Right: the pending sign-in ends and the
    user is returned, to be signed in by the caller. Wrong: SecondFactorError with a message for the person; after
    `LOKET_SECOND_FACTOR_TRIES` wrong codes the pending sign-in ends and the password is asked again. Every wrong
    code is audited as a failed login."""
    try:
        code_verify(pending.user, code, address=address, enrol=True)
    except SecondFactorError as error:
        if error.code != "wrong":
            raise
        wrong = pending.wrong_codes + 1
        if wrong >= settings.LOKET_SECOND_FACTOR_TRIES:
            pending_end(session)
            raise SecondFactorError(
                _("Te veel foute codes. Meld u opnieuw aan met uw wachtwoord."), code="too_many"
            ) from error
        session[PENDING_KEY] = {**session[PENDING_KEY], "wrong": wrong}
        raise
    pending_end(session)
    return pending.user


def code_verify(user: User, code: str, *, address: str, enrol: bool) -> None:
    """Check `code` against the person's confirmed app, or with `enrol` against the app being set up (confirming
    it). Returns when right; raises SecondFactorError: "throttled" (django-otp's back-off), "no_app" (nothing set up
    and `enrol` off), "unreadable" (no configured secret opens the app's sealed key: logged and audited, not counted
    as a wrong code) or "wrong" (audited as `login.code_failed`; a code of the app's last sign-in as reused, and
    mailed to the holder)."""
    code = _normalised(code)
    with transaction.atomic():
        device = confirmed_device(user)
        enrolling = device is None
        if enrolling and not enrol:
            raise SecondFactorError(_("Voor dit account is geen app ingesteld."), code="no_app")
        device = SecondFactorDevice.objects.select_for_update().get(pk=(device or enrolment_device(user)).pk)
        allowed, why = device.verify_is_allowed()
        if not allowed:
            locked_until = (why or {}).get("locked_until") or timezone.now()
            seconds = max(1, int((locked_until - timezone.now()).total_seconds()) + 1)
            raise SecondFactorError(
                _("Te veel foute codes na elkaar. Wacht %(seconds)s seconden en probeer opnieuw.")
                % {"seconds": seconds},
                code="throttled",
            )
        try:
            reused = not enrolling and _is_last_used_code(device, code)
            verified = bool(code.isdigit()) and device.verify_token(code)
        except SealUnreadable:
            verified = reused = False
            unreadable = True
        else:
            unreadable = False
        if verified:
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                SecondFactorDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
                audit_record(action="second_factor.enrolled", actor=user, address=address)
                _mail_holder(user, ENROLLED_MAIL)
            return
    if unreadable:
        _refuse_unreadable(user, device, address=address)
    audit_record(action="login.code_failed", actor=user, address=address, **({"reused": True} if reused else {}))
    if reused:
        _mail_holder(user, REUSED_MAIL, address=address)
    raise SecondFactorError(
        _("Deze code klopt niet. Typ de zes cijfers die uw app nu toont (een code geldt maar één keer)."),
        code="wrong",
    )


def _refuse_unreadable(user: User, device: SecondFactorDevice, *, address: str) -> None:
    """No configured secret opens the app's sealed key: an old secret dropped before `person_numbers_rekey`, or a
    changed row. Nobody can sign in with it; the operator must know, and the person learns what to do."""
    security_log.error(
        "second factor: no key of LOKET_PERSON_NUMBER_KEYS opens the sealed key of device %s of user %s (from %s)",
        device.pk,
        user.pk,
        address,
    )
    audit_record(action="second_factor.unreadable", actor=user, address=address)
    raise SecondFactorError(
        _(
            "Uw app kan nu niet gecontroleerd worden: de sleutel ervan is onleesbaar. Neem contact op met de helpdesk "
            "(%(helpdesk)s); die laat de tweede aanmeldstap opnieuw instellen."
        )
        % {"helpdesk": settings.LOKET_HELPDESK_EMAIL},
        code="unreadable",
    )


def _is_last_used_code(device: SecondFactorDevice, code: str) -> bool:
    """ASVS 2.8.5: `code` is the one this app's last sign-in used (its time step is stored as the replay guard), so
    somebody who saw or intercepted it is trying it again."""
    from django_otp.oath import hotp

    if not code.isdigit() or device.last_t < 0:
        return False
    return hotp(device.bin_key, device.last_t, digits=device.digits) == int(code)


# Mails to the holder of an account (ASVS 2.2.3, 2.8.5), in Dutch whatever the page's language: (subject, body).
ENROLLED_MAIL = (
    gettext_lazy("Loket: een app voor de tweede aanmeldstap is ingesteld"),
    gettext_lazy(
        "Beste %(name)s,\n\nVoor uw account van de back office van het Loket is zonet een app ingesteld die "
        "de codes voor de tweede aanmeldstap maakt.\n\nWas u dit niet? Neem dan meteen contact op met de "
        "helpdesk (%(helpdesk)s): iemand kent uw wachtwoord."
    ),
)
REUSED_MAIL = (
    gettext_lazy("Loket: een code van uw app werd opnieuw gebruikt"),
    gettext_lazy(
        "Beste %(name)s,\n\nBij het aanmelden op de back office van het Loket werd zonet, vanaf %(address)s, "
        "een code van uw app gegeven die al gebruikt was. Die aanmelding is geweigerd.\n\nWas u dit niet? Dan "
        "kent iemand uw wachtwoord en zag die een code van u. Wijzig uw wachtwoord en neem contact op met de "
        "helpdesk (%(helpdesk)s)."
    ),
)


def _mail_holder(user: User, mail: tuple[Any, Any], **values: str) -> None:
    """Queue `mail` to the account's holder, in the caller's transaction."""
    if not user.email:
        return
    with override("nl"):
        subject, body = str(mail[0]), str(mail[1])
        values = {"name": user.get_full_name() or user.username, "helpdesk": settings.LOKET_HELPDESK_EMAIL, **values}
        send_email.enqueue(to=[user.email], subject=subject, body=body % values)


@transaction.atomic
def second_factor_reset(*, user: User, reason: str, actor: User | None = None, actor_label: str = "") -> int:
    """Remove the person's apps (lost or replaced phone): the next sign-in sets up a new one. Audited, with the
    helpdesk person (`actor`) or the command (`actor_label`) who did it; returns how many were removed."""
    if not reason.strip():
        raise SecondFactorError(_("Geef een reden op."), code="no_reason")
    removed, _detail = SecondFactorDevice.objects.filter(user=user).delete()
    audit_record(
        action="second_factor.reset",
        actor=actor,
        **({} if actor is not None else {"actor_label": actor_label or "systeem"}),
        user=user.username,
        reason=reason.strip(),
        count=removed,
    )
    return removed
