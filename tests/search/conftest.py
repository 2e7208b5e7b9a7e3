import pytest


@pytest.fixture
def reindex(db):
    """Rebuild the whole search index now (tests run on-commit hooks only when asked to)."""
    from carnet.search.services import reindex_all

    return reindex_all
