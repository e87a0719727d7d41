"""Open data's cast: the store in a temporary folder, a small public world (two municipalities) and private markers."""

import pytest


@pytest.fixture(autouse=True)
def opendata_settings(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.LOKET_SPARQL_STORE_DIR = str(tmp_path / "sparql")
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LOKET_SPARQL_QUERY_URL = ""
    settings.LOKET_SPARQL_UPDATE_URL = ""
    settings.LOKET_SPARQL_TIMEOUT = 20
    settings.LOKET_SPARQL_RATE_LIMIT = 1000
    settings.LOKET_OPENDATA_SETTLE_SECONDS = 0
