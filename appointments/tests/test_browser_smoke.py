import pytest

pytestmark = pytest.mark.browser


def test_it_signs_in(sign_in, owner, live_server):
    page = sign_in(owner)

    assert page.url.startswith(live_server.url)
