import pytest

from carnet.accounts.services import token_create


@pytest.fixture
def read_token(alice):
    return token_create(user=alice, name="read", scope="read")[1]


@pytest.fixture
def write_token(alice):
    return token_create(user=alice, name="write", scope="write")[1]


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
