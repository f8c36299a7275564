"""In a real browser: the office opens a hostile file a producer sent for review; no script runs.

The files are forced into storage (bypassing the upload checks) to prove the
serving side on its own: even such a file is downloaded or shown as a picture,
never run as a page of the shop. The site-wide CSP (``script-src 'self'``)
stops an inline script but not a script loaded from the shop itself, so each
hostile page also loads a second file the producer sent (``payload.js``)
through the office's own file link — what an attacker facing that CSP does.
"""

import io

import pytest

from tests.vendors.test_browser import _session
from tests.vendors.uploads_samples import (
    SCRIPT_JS,
    SCRIPT_TITLE,
    SCRIPT_URL,
    gif_with_script,
    html,
    polyglot_pdf,
)
from vendors.models import ChangeRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSTILE = {
    "pdf+html polyglot": ("decision.html", polyglot_pdf, True),
    "gif with script comment": ("photo.html", gif_with_script, False),
    "plain html": ("trang.html", lambda src: html(src).encode(), True),
}


@pytest.fixture
def browser(chromium, live_server):
    return chromium


def _force_into_storage(change, name, data):
    """The change's file becomes ``data``, stored as ``name``, with no check on the way."""
    storage = ChangeRequest._meta.get_field("attachment").storage
    stored = storage.save(name, io.BytesIO(data))
    ChangeRequest.objects.filter(pk=change.pk).update(attachment=stored)
    return change.pk


@pytest.mark.parametrize("case", list(HOSTILE))
def test_office_opens_a_hostile_file_and_no_script_runs(browser, live_server, producer_a, office, case):
    from playwright.sync_api import Error as PlaywrightError

    stored_name, make, downloadable = HOSTILE[case]
    script_pk = _force_into_storage(producer_a.change, "vendors/changes/2025/payload.js", SCRIPT_JS.encode())
    script_src = f"/office/changes/{script_pk}/file/"
    pk = _force_into_storage(
        producer_a.file_change, f"vendors/changes/2025/{stored_name}", make(script_src)
    )
    page = _session(browser, live_server, office)
    requests = []
    page.context.on("request", lambda request: requests.append(request.url))
    page.goto(f"{live_server.url}/office/changes/{pk}/")
    link = page.locator(f"a[href$='/office/changes/{pk}/file/']").first
    url = live_server.url + link.get_attribute("href")

    downloads = []
    page.on("download", lambda download: downloads.append(download))
    try:
        response = page.goto(url)
    except PlaywrightError:
        response = None  # "Download is starting": the page stays where it was
    page.wait_for_timeout(700)  # time for a script (and its fetch) to run, if it could

    assert page.title() != SCRIPT_TITLE
    assert not [u for u in requests if SCRIPT_URL in u]
    if downloadable:
        assert len(downloads) == 1 and not downloads[0].suggested_filename.endswith(".html")
    else:
        assert response.headers["content-type"] == "image/gif"


def test_a_real_photo_under_review_is_still_shown_to_the_office(browser, live_server, producer_a, office):
    page = _session(browser, live_server, office)
    page.goto(f"{live_server.url}/office/changes/{producer_a.file_change.pk}/")
    image = page.locator(f"img[src$='/office/changes/{producer_a.file_change.pk}/file/']")
    image.wait_for()
    page.wait_for_function("img => img.complete", arg=image.element_handle())
    assert image.evaluate("img => img.naturalWidth") == 64
