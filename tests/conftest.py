import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded and generated files of a test go to its own temporary folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
