"""Where the sample service under test listens: --service-url, else $SAMPLE_SERVICE_URL."""
import os

import pytest


def pytest_addoption(parser):
    parser.addoption(
        "--service-url",
        default=os.environ.get("SAMPLE_SERVICE_URL", "http://127.0.0.1:8085"),
        help="base URL of the sample service, e.g. http://127.0.0.1:8085",
    )


@pytest.fixture
def service_url(request):
    return request.config.getoption("--service-url").rstrip("/")
