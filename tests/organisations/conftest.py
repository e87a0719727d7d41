from tests.support.smtp import smtp_server  # noqa: F401 - the real SMTP server on loopback
