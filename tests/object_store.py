"""A local S3-compatible server for the tests (moto's server mode, on a free port of the
loopback), and the portal's document storage pointed at a fresh private bucket in it.

Import the fixtures into the modules that use them: ``from tests.object_store import
object_store, s3_server  # noqa: F401``."""

import logging
import socket
import uuid

import boto3
import pytest

from partnercenter.settings.base import object_storage

REGION = "us-east-1"
# moto accepts any credentials; these are the ones the portal is given.
ACCESS_KEY, SECRET_KEY = "portal-test", "portal-test-secret"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class S3Server:
    def __init__(self, endpoint_url: str):
        self.endpoint_url = endpoint_url

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )

    def new_bucket(self) -> str:
        bucket = f"documents-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=bucket)
        return bucket

    def storage(self, bucket: str) -> dict:
        """The STORAGES entry the settings build from AWS_* for this server and bucket."""
        return object_storage(
            bucket=bucket,
            endpoint_url=self.endpoint_url,
            region=REGION,
            access_key=ACCESS_KEY,
            secret_key=SECRET_KEY,
        )

    def environment(self, bucket: str) -> dict[str, str]:
        """The same, as the environment of a process started with the portal's settings."""
        return {
            "AWS_STORAGE_BUCKET_NAME": bucket,
            "AWS_S3_ENDPOINT_URL": self.endpoint_url,
            "AWS_S3_REGION_NAME": REGION,
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        }


@pytest.fixture(scope="session")
def s3_server():
    from moto.server import ThreadedMotoServer

    # One line per S3 request otherwise, in every failing test's output.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield S3Server(f"http://127.0.0.1:{port}")
    finally:
        server.stop()


class Bucket:
    def __init__(self, server: S3Server, name: str):
        self.server, self.name = server, name

    def keys(self) -> list[str]:
        listing = self.server.client().list_objects_v2(Bucket=self.name)
        return [item["Key"] for item in listing.get("Contents", [])]

    def read(self, key: str) -> bytes:
        return self.server.client().get_object(Bucket=self.name, Key=key)["Body"].read()


@pytest.fixture
def object_store(s3_server, settings) -> Bucket:
    """Uploaded documents go to a fresh bucket of the local S3 server for this test."""
    bucket = s3_server.new_bucket()
    settings.STORAGES = {**settings.STORAGES, "default": s3_server.storage(bucket)}
    return Bucket(s3_server, bucket)
