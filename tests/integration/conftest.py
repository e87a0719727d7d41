from tests.support.oidc import oidc_provider, oidc_settings  # noqa: F401
from tests.support.smtp import smtp_server  # noqa: F401
