"""RFC 3161 timestamps: a timestamp authority (TSA) countersigns "this digest existed at this time".

`timestamp` asks the TSA at setting `LOKET_TSA_URL` for a token over a SHA-256 digest; `verify_token` checks a
stored token in-process with asn1crypto (parsing) and cryptography (signatures): the token's message imprint
must be the digest, the CMS signed attributes must match the token content, and the TSA's signature over them
must hold. When setting `LOKET_TSA_CA_FILE` names a PEM file of trusted CA certificates, the signing certificate
must also be issued by one of them and carry the critical timeStamping extended key usage.

Every token is also a reading of a trusted clock (ASVS 7.3.4). Its time (genTime) must fall between our clock's
readings just before the request and just after the answer, give or take `LOKET_CLOCK_SKEW_SECONDS` (default 5:
TSAs round to the second, and the host's NTP keeps well inside that). Outside it the host's clock is wrong, or the
TSA's: the token is still used (it is the proof; `recorded_at` is only our claim), and an alert goes to the log, the
audit trail and the security mailbox (`core.alerts.clock_alert`, at most one per alert interval) once the sending's
transaction has committed.
"""

import logging
import secrets
import time
from pathlib import Path

import httpx
from asn1crypto import algos, cms, tsp
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID
from django.conf import settings
from django.db import transaction

from loket.core.errors import DomainError

logger = logging.getLogger("loket.security")
_clock = time.time  # our clock, in seconds since the epoch (a test sets it wrong on purpose)

TIMEOUT_SECONDS = 10
HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}


class TimestampError(DomainError):
    code = "timestamp_failed"


def tsa_url() -> str | None:
    return getattr(settings, "LOKET_TSA_URL", None) or None


def timestamp(digest: bytes) -> bytes:
    """A DER-encoded timestamp token (CMS ContentInfo) over a SHA-256 `digest` from the configured TSA."""
    url = tsa_url()
    if not url:
        raise TimestampError("Er is geen tijdstempeldienst ingesteld (LOKET_TSA_URL).")
    nonce = secrets.randbits(63)
    request = tsp.TimeStampReq(
        {
            "version": "v1",
            "message_imprint": _imprint(digest),
            "nonce": nonce,
            "cert_req": True,
        }
    )
    asked = _clock()
    try:
        response = httpx.post(
            url,
            content=request.dump(),
            headers={"Content-Type": "application/timestamp-query"},
            timeout=TIMEOUT_SECONDS,
        )
    except httpx.HTTPError as error:
        raise TimestampError(f"De tijdstempeldienst is niet bereikbaar: {error}") from error
    answered = _clock()
    if response.status_code != 200:
        raise TimestampError(f"De tijdstempeldienst antwoordde met HTTP {response.status_code}.")
    token = _token_from_response(response.content, digest, nonce)
    _check_clock(token, asked=asked, answered=answered, source=url)
    return token


def clock_skew(stamped: float, *, asked: float, answered: float) -> float:
    """Seconds by which the TSA's time `stamped` lies outside our readings [asked, answered]: positive when the TSA
    is ahead of us, negative when it is behind, 0 inside."""
    if stamped < asked:
        return stamped - asked
    if stamped > answered:
        return stamped - answered
    return 0.0


def _check_clock(token: bytes, *, asked: float, answered: float, source: str) -> None:
    stamped = _tst_info(cms.ContentInfo.load(token))["gen_time"].native.timestamp()
    skew = clock_skew(stamped, asked=asked, answered=answered)
    if abs(skew) <= settings.LOKET_CLOCK_SKEW_SECONDS:
        return
    logger.warning("clock: the timestamp authority %s is %.1f s %s this host", source, abs(skew),
                   "ahead of" if skew > 0 else "behind")  # fmt: skip
    from loket.core.alerts import clock_alert

    transaction.on_commit(lambda: clock_alert(skew_seconds=skew, source=source), robust=True)


def _imprint(digest: bytes) -> tsp.MessageImprint:
    return tsp.MessageImprint(
        {"hash_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}), "hashed_message": digest}
    )


def _token_from_response(body: bytes, digest: bytes, nonce: int) -> bytes:
    try:
        reply = tsp.TimeStampResp.load(body)
        status = reply["status"]["status"].native
        if status not in ("granted", "granted_with_mods"):
            raise TimestampError(f"De tijdstempeldienst weigerde: {status}.")
        token = reply["time_stamp_token"]
        info = _tst_info(token)
        received_nonce = info["nonce"].native
    except (ValueError, TypeError, KeyError) as error:
        raise TimestampError("Het antwoord van de tijdstempeldienst is onleesbaar.") from error
    if not _imprint_matches(info, digest):
        raise TimestampError("De tijdstempel hoort niet bij de gevraagde inhoud.")
    if received_nonce != nonce:
        raise TimestampError("De tijdstempel antwoordt niet op onze vraag (nonce).")
    return token.dump()


def _tst_info(token: cms.ContentInfo) -> tsp.TSTInfo:
    if token["content_type"].native != "signed_data":
        raise ValueError("not signed data")
    encapsulated = token["content"]["encap_content_info"]
    if encapsulated["content_type"].native != "tst_info":
        raise ValueError("not a timestamp token")
    return encapsulated["content"].parsed


def _imprint_matches(info: tsp.TSTInfo, digest: bytes) -> bool:
    imprint = info["message_imprint"]
    return imprint["hash_algorithm"]["algorithm"].native == "sha256" and imprint["hashed_message"].native == digest


def verify_token(token: bytes, digest: bytes) -> bool:
    """Whether `token` is a timestamp over `digest`, correctly signed (and, with LOKET_TSA_CA_FILE, by a trusted
    TSA)."""
    try:
        content_info = cms.ContentInfo.load(token)
        info = _tst_info(content_info)
        if not _imprint_matches(info, digest):
            return False
        signed_data = content_info["content"]
        signer_info = signed_data["signer_infos"][0]
        certificate = _signer_certificate(signed_data, signer_info)
        if certificate is None or not _signed_attributes_match(signed_data, signer_info):
            return False
        _check_signature(certificate, signer_info)
        return _valid_at(certificate, info) and _trusted(certificate)
    except (ValueError, TypeError, KeyError, IndexError, InvalidSignature):
        return False


def _signer_certificate(signed_data: cms.SignedData, signer_info: cms.SignerInfo) -> x509.Certificate | None:
    sid = signer_info["sid"]
    for choice in signed_data["certificates"] or []:
        if choice.name != "certificate":
            continue
        certificate = choice.chosen
        if sid.name == "issuer_and_serial_number":
            issuer_serial = sid.chosen
            if (
                certificate.issuer == issuer_serial["issuer"]
                and certificate.serial_number == issuer_serial["serial_number"].native
            ):
                return x509.load_der_x509_certificate(certificate.dump())
        elif certificate.key_identifier == sid.chosen.native:
            return x509.load_der_x509_certificate(certificate.dump())
    return None


def _signed_attributes_match(signed_data: cms.SignedData, signer_info: cms.SignerInfo) -> bool:
    """The signed attributes must name the token content type and carry the digest of the token content."""
    attributes = {attribute["type"].native: attribute["values"][0] for attribute in signer_info["signed_attrs"]}
    if attributes.get("content_type") is None or attributes["content_type"].native != "tst_info":
        return False
    algorithm = HASHES[signer_info["digest_algorithm"]["algorithm"].native]()
    content = signed_data["encap_content_info"]["content"].contents
    hasher = hashes.Hash(algorithm)
    hasher.update(content)
    message_digest = attributes.get("message_digest")
    return message_digest is not None and message_digest.native == hasher.finalize()


def _check_signature(certificate: x509.Certificate, signer_info: cms.SignerInfo) -> None:
    """Raises InvalidSignature unless the TSA's key signed the (DER SET-tagged) signed attributes."""
    signed = b"\x31" + signer_info["signed_attrs"].dump()[1:]  # [0] IMPLICIT → SET OF, as RFC 5652 §5.4 says
    signature = signer_info["signature"].native
    algorithm = HASHES[signer_info["digest_algorithm"]["algorithm"].native]()
    public_key = certificate.public_key()
    signature_algorithm = signer_info["signature_algorithm"]
    if isinstance(public_key, rsa.RSAPublicKey):
        if signature_algorithm.signature_algo == "rsassa_pss":
            parameters = signature_algorithm["parameters"]
            pss = padding.PSS(
                mgf=padding.MGF1(HASHES[parameters["mask_gen_algorithm"]["parameters"]["algorithm"].native]()),
                salt_length=parameters["salt_length"].native,
            )
            public_key.verify(signature, signed, pss, algorithm)
        else:
            public_key.verify(signature, signed, padding.PKCS1v15(), algorithm)
    elif isinstance(public_key, ec.EllipticCurvePublicKey):
        public_key.verify(signature, signed, ec.ECDSA(algorithm))
    elif isinstance(public_key, ed25519.Ed25519PublicKey):
        public_key.verify(signature, signed)
    else:
        raise ValueError("unsupported TSA key type")


def _valid_at(certificate: x509.Certificate, info: tsp.TSTInfo) -> bool:
    """The TSA's certificate must have been valid at the time it claims to have stamped."""
    stamped_at = info["gen_time"].native
    return certificate.not_valid_before_utc <= stamped_at <= certificate.not_valid_after_utc


def _trusted(certificate: x509.Certificate) -> bool:
    ca_file = getattr(settings, "LOKET_TSA_CA_FILE", None)
    try:
        usage = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    except x509.ExtensionNotFound:
        return False
    if not usage.critical or list(usage.value) != [ExtendedKeyUsageOID.TIME_STAMPING]:
        return False  # RFC 3161 §2.3: the only usage, and critical
    if not ca_file:
        return True
    authorities = x509.load_pem_x509_certificates(Path(ca_file).read_bytes())
    for authority in authorities:
        if authority.subject != certificate.issuer:
            continue
        try:
            certificate.verify_directly_issued_by(authority)
        except (InvalidSignature, ValueError, TypeError):
            continue
        return True
    return False


def token_time(token: bytes) -> str:
    """The TSA's time (genTime) in a token, ISO 8601."""
    info = _tst_info(cms.ContentInfo.load(token))
    return info["gen_time"].native.isoformat()
