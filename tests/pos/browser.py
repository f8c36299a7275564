"""The till in a real browser: a cashier signs in and opens a session (shared by the
journeys of tests/pos, tests/invoicing and tests/experiences)."""

import re


def open_till(browser, base_url, username="thao", password="ThuNgan@TT1", float_amount="500000",
              stub_print=True):
    """(context, page, errors): the cashier signed in on the till page of their only
    register, with a session opened on ``float_amount``; ``errors`` collects page errors.
    ``window.print`` is counted in ``window.__printed`` instead of opening a dialog."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    if stub_print:
        context.add_init_script(
            "window.print = function () { window.__printed = (window.__printed || 0) + 1; };")
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    # the only till of the cashier's point opens directly
    page.goto(f"{base_url}/pos/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/pos/register/\d+/$"))
    # the session opens with the counted float
    page.fill("#open-float", float_amount)
    page.click("#open-session")
    page.wait_for_selector("#scan", state="visible")
    return context, page, errors
