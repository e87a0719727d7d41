"""Putting a package on ABB's side: an SFTP server (the real MFT) or an S3-compatible bucket, named by
`LOKET_BBCDR_TARGET` (`sftp://user@host:port/dir` or `s3://bucket/prefix`).

SFTP: the server's host key must be in the pinned known_hosts file (`LOKET_BBCDR_SFTP_KNOWN_HOSTS`; an unknown or
changed key is refused, `ssh-dss` is never accepted); login by key (`LOKET_BBCDR_SFTP_KEY_FILE`) or password
(`LOKET_BBCDR_SFTP_PASSWORD`). The package is written under a temporary name (`.<name>.part`) and renamed when
complete, so the receiver never sees half a package; a later attempt overwrites a partial file of an earlier one.
Every kind reports its progress (`progress(bytes so far, total)`), with which the caller shows it is alive.
S3: one PUT (multipart for large packages), which is atomic by itself; endpoint `LOKET_BBCDR_S3_ENDPOINT_URL`.

A third kind, `file:///folder`, writes into a local folder (temporary name, then renamed): it is the default of
`make run` (`var/mft`), so the demo shows the whole journey without an SFTP server. Not for production.

Errors are `DeliveryFailed` with a sentence for the helpdesk (shown on the report's page).
"""

import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

CONNECT_TIMEOUT = 20


class DeliveryFailed(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TargetNotConfigured(DeliveryFailed):
    pass


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str = ""
    port: int = 22
    user: str = ""
    directory: str = ""
    bucket: str = ""
    prefix: str = ""

    @property
    def label(self) -> str:
        """Where, without secrets (shown and stored)."""
        if self.scheme == "sftp":
            return f"sftp://{self.user}@{self.host}:{self.port}{self.directory}"
        if self.scheme == "file":
            return f"file://{self.directory}"
        return f"s3://{self.bucket}/{self.prefix}".rstrip("/")


def configured_target() -> Target:
    url = settings.LOKET_BBCDR_TARGET
    if not url:
        raise TargetNotConfigured(_("Er is geen bestemming voor BBC-DR-pakketten ingesteld (LOKET_BBCDR_TARGET)."))
    parts = urlsplit(url)
    if parts.scheme == "sftp" and parts.hostname:
        return Target(
            scheme="sftp",
            host=parts.hostname,
            port=parts.port or 22,
            user=unquote(parts.username or ""),
            directory=unquote(parts.path) or "/",
        )
    if parts.scheme == "s3" and parts.hostname:
        return Target(scheme="s3", bucket=parts.hostname, prefix=unquote(parts.path).strip("/"))
    if parts.scheme == "file" and parts.path:
        return Target(scheme="file", directory=unquote(parts.path))
    raise TargetNotConfigured(_("De bestemming %(url)s is geen sftp://- of s3://-adres.") % {"url": parts.scheme})


Progress = Callable[[int, int], None]


def _no_progress(done: int, total: int) -> None:
    pass


def deliver(*, target: Target, name: str, stream: IO[bytes], size: int, progress: Progress = _no_progress) -> None:
    if target.scheme == "sftp":
        _sftp_put(target, name, stream, size, progress)
    elif target.scheme == "file":
        _folder_put(target, name, stream, size, progress)
    else:
        _s3_put(target, name, stream, size, progress)


def _folder_put(target: Target, name: str, stream: IO[bytes], size: int, progress: Progress) -> None:
    folder = Path(target.directory)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f".{name}.part"
        done = 0
        with partial.open("wb") as out:
            while chunk := stream.read(1024 * 1024):
                out.write(chunk)
                done += len(chunk)
                progress(done, size)
        partial.replace(folder / name)
    except OSError as error:
        raise DeliveryFailed(
            _("Het pakket kon niet in de map %(dir)s geschreven worden (%(error)s).")
            % {"dir": target.directory, "error": error}
        ) from error


# SFTP ---------------------------------------------------------------------------------------------------------------

# per worker process: one open connection per target, reused; (paramiko's SSHClient, its SFTPClient: untyped)
_connections: dict[Target, tuple[Any, Any]] = {}


def _sftp_client(target: Target):  # type: ignore[no-untyped-def]
    import paramiko

    cached = _connections.get(target)
    if cached is not None:
        client, sftp = cached
        transport = client.get_transport()
        if transport is not None and transport.is_active():
            return sftp
        _connections.pop(target, None)
    known_hosts = settings.LOKET_BBCDR_SFTP_KNOWN_HOSTS
    if not known_hosts:
        raise TargetNotConfigured(_("De SFTP-bestemming heeft geen vastgepinde serversleutel (known_hosts)."))
    client = paramiko.SSHClient()
    try:
        client.load_host_keys(known_hosts)
    except OSError as error:
        raise TargetNotConfigured(
            _("Het known_hosts-bestand %(file)s kon niet gelezen worden.") % {"file": known_hosts}
        ) from error
    client.set_missing_host_key_policy(paramiko.RejectPolicy())
    try:
        client.connect(
            target.host,
            port=target.port,
            username=target.user,
            password=settings.LOKET_BBCDR_SFTP_PASSWORD or None,
            key_filename=settings.LOKET_BBCDR_SFTP_KEY_FILE or None,
            look_for_keys=False,
            allow_agent=False,
            timeout=CONNECT_TIMEOUT,
            banner_timeout=CONNECT_TIMEOUT,
            auth_timeout=CONNECT_TIMEOUT,
            disabled_algorithms={"keys": ["ssh-dss"], "pubkeys": ["ssh-dss"]},
        )
    except paramiko.BadHostKeyException as error:
        client.close()
        raise DeliveryFailed(
            _("De sleutel van de SFTP-server %(host)s is niet de vastgepinde sleutel: niets verstuurd.")
            % {"host": target.host}
        ) from error
    except paramiko.AuthenticationException as error:
        client.close()
        raise DeliveryFailed(_("Aanmelden op de SFTP-server %(host)s mislukte.") % {"host": target.host}) from error
    except paramiko.SSHException as error:
        client.close()
        if "known_hosts" in str(error) or "not found in" in str(error):
            raise DeliveryFailed(
                _("De SFTP-server %(host)s heeft een onbekende sleutel (niet in known_hosts): niets verstuurd.")
                % {"host": target.host}
            ) from error
        raise DeliveryFailed(_("SFTP-fout bij %(host)s: %(error)s") % {"host": target.host, "error": error}) from error
    except (TimeoutError, OSError) as error:
        client.close()
        raise DeliveryFailed(
            _("De SFTP-server %(host)s:%(port)s is niet bereikbaar (%(error)s).")
            % {"host": target.host, "port": target.port, "error": getattr(error, "strerror", None) or error}
        ) from error
    sftp = client.open_sftp()
    _connections[target] = (client, sftp)
    return sftp


def forget_connections() -> None:
    for client, _sftp in list(_connections.values()):
        client.close()
    _connections.clear()


def _sftp_put(target: Target, name: str, stream: IO[bytes], size: int, progress: Progress) -> None:
    sftp = _sftp_client(target)
    final = posixpath.join(target.directory, name)
    partial = posixpath.join(target.directory, f".{name}.part")
    try:
        sftp.putfo(stream, partial, file_size=size, callback=progress, confirm=True)
        try:
            sftp.posix_rename(partial, final)
        except OSError:  # a server without the posix-rename extension
            sftp.rename(partial, final)
    except PermissionError as error:
        raise DeliveryFailed(
            _("Geen schrijfrechten in de map %(dir)s op %(host)s.") % {"dir": target.directory, "host": target.host}
        ) from error
    except FileNotFoundError as error:
        raise DeliveryFailed(
            _("De map %(dir)s bestaat niet op %(host)s.") % {"dir": target.directory, "host": target.host}
        ) from error
    except (OSError, EOFError) as error:
        _connections.pop(target, None)
        raise DeliveryFailed(
            _("Het versturen naar %(host)s werd onderbroken (%(error)s).") % {"host": target.host, "error": error}
        ) from error


# S3 -----------------------------------------------------------------------------------------------------------------


def _s3_put(target: Target, name: str, stream: IO[bytes], size: int, progress: Progress) -> None:
    import boto3
    from boto3.exceptions import S3UploadFailedError
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError, ClientError

    client = boto3.client(
        "s3",
        endpoint_url=settings.LOKET_BBCDR_S3_ENDPOINT_URL or None,
        aws_access_key_id=settings.LOKET_BBCDR_S3_ACCESS_KEY_ID or None,
        aws_secret_access_key=settings.LOKET_BBCDR_S3_SECRET_ACCESS_KEY or None,
        region_name=settings.LOKET_BBCDR_S3_REGION or None,
        config=Config(connect_timeout=CONNECT_TIMEOUT, retries={"max_attempts": 1}),
    )
    key = f"{target.prefix}/{name}" if target.prefix else name
    try:
        done = [0]

        def sent(amount: int) -> None:  # boto3 reports each part's bytes
            done[0] += amount
            progress(done[0], size)

        client.upload_fileobj(stream, target.bucket, key, Callback=sent)
    except (ClientError, S3UploadFailedError) as error:
        response = getattr(error, "response", None) or {}
        code = response.get("Error", {}).get("Code", "") or str(error)[:200]
        raise DeliveryFailed(
            _("De S3-bestemming %(bucket)s weigerde het pakket (%(code)s).") % {"bucket": target.bucket, "code": code}
        ) from error
    except (BotoCoreError, OSError) as error:
        raise DeliveryFailed(
            _("De S3-bestemming %(bucket)s is niet bereikbaar (%(error)s).") % {"bucket": target.bucket, "error": error}
        ) from error
