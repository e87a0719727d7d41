"""A real S3-compatible server on loopback for tests: moto in server mode (its HTTP server, not its in-process
mock), with a bucket made for the test."""

import pytest


@pytest.fixture
def s3_server(settings):  # type: ignore[no-untyped-def]
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    settings.LOKET_BBCDR_S3_ENDPOINT_URL = endpoint
    settings.LOKET_BBCDR_S3_ACCESS_KEY_ID = "loket-test"
    settings.LOKET_BBCDR_S3_SECRET_ACCESS_KEY = "loket-test-secret"
    settings.LOKET_BBCDR_S3_REGION = "eu-west-1"
    settings.LOKET_BBCDR_TARGET = "s3://mft-bbcdr/inkomend"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="loket-test",
        aws_secret_access_key="loket-test-secret",
        region_name="eu-west-1",
    )
    client.create_bucket(Bucket="mft-bbcdr", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    yield client
    server.stop()
