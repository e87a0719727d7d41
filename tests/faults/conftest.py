"""Fixtures of other test folders that the outage tests (test_outages.py) use: the real servers and the casts."""

from tests.messaging.conftest import agency_staff, message_clerk  # noqa: F401
from tests.reports.conftest import bbcdr_clerk, checked_report  # noqa: F401
from tests.support.s3 import s3_outage_server  # noqa: F401
from tests.support.sftp import sftp_server  # noqa: F401
