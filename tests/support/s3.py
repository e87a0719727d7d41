"""A real S3-compatible server on loopback for tests: moto in server mode (its HTTP server, not its in-process
mock), with a bucket made for the test. `s3_outage_server` can be stopped and started again on the same port (the
bucket and what it holds stay: moto keeps them in this process)."""

from dataclasses import dataclass, field

import pytest


@dataclass
class S3Server:
    server: object = None
    port: int = 0
    client: object = None
    stopped: bool = field(default=False)

    def start(self) -> None:
        from moto.server import ThreadedMotoServer

        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self.server.start()  # type: ignore[attr-defined]
        self.port = self.server.get_host_and_port()[1]  # type: ignore[attr-defined]
        self.stopped = False

    def stop(self) -> None:
        if not self.stopped:
            self.server.stop()  # type: ignore[attr-defined]
            self.stopped = True


def _started(settings) -> S3Server:  # type: ignore[no-untyped-def]
    import urllib.request

    import boto3

    s3 = S3Server()
    s3.start()
    endpoint = f"http://127.0.0.1:{s3.port}"
    # moto keeps buckets in the process, across servers: start each test from an empty store
    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST"), timeout=10).close()
    settings.LOKET_BBCDR_S3_ENDPOINT_URL = endpoint
    settings.LOKET_BBCDR_S3_ACCESS_KEY_ID = "loket-test"
    settings.LOKET_BBCDR_S3_SECRET_ACCESS_KEY = "loket-test-secret"
    settings.LOKET_BBCDR_S3_REGION = "eu-west-1"
    settings.LOKET_BBCDR_TARGET = "s3://mft-bbcdr/inkomend"
    s3.client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="loket-test",
        aws_secret_access_key="loket-test-secret",
        region_name="eu-west-1",
    )
    s3.client.create_bucket(  # type: ignore[attr-defined]
        Bucket="mft-bbcdr", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"}
    )
    return s3


@pytest.fixture
def s3_server(settings):  # type: ignore[no-untyped-def]
    s3 = _started(settings)
    yield s3.client
    s3.stop()


@pytest.fixture
def s3_outage_server(settings):  # type: ignore[no-untyped-def]
    s3 = _started(settings)
    yield s3
    s3.stop()
