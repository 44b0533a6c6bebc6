"""The downloads walk in a browser: for each role of ``tests/roleworld.py``, every page with
downloads (the pages of ``tests/browser/pages.py``, the list the client walk in
``tests/test_downloads_match_pages.py`` takes, so a new page cannot slip past) is opened in
chromium and every download link is clicked as a person would:

- each table's CSV and Excel hold the table's cells as the browser shows them (read from the
  rendered page: what a reader sees in each cell, not the HTML source; numbers compare without
  their thousands commas, a share as the page writes it);
- each chart's PNG is a PNG image and its SVG an SVG drawing.

Sampled to stay within a few minutes in CI: one role per area of the product (the state
administrator for the organisation and the audit log, the Fresno lead for implementation and
assessments, the coach for fidelity, the evaluator for the outcome dashboards; about two minutes
each on two busy cores), and on each page Excel only for its first table (as the client walk).
The client walk still covers every role, every table's CSV and the audit of each download.

``test_a_large_download_opens_its_job_page_which_then_offers_the_file`` lowers
``EXPORT_BACKGROUND_ROWS`` so that a click on a table's CSV leads to the job's page, which
updates itself once the worker has written the file and hands it out.

``test_no_page_is_wider_than_a_phone`` opens the state administrator's pages 390 px wide: a
wide table scrolls in its own box, a chart scales to its column, and the page itself never
scrolls sideways.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import resolve, reverse
from playwright.sync_api import Locator, Page, expect
from pytest_django.live_server_helper import LiveServer

from practicehub.accounts.models import User
from practicehub.core.errors import Refused
from practicehub.site.navigation import may_open
from practicehub.testing.personas import Personas
from tests.browser.conftest import sign_in
from tests.browser.pages import PAGES
from tests.roleworld import every_persona
from tests.test_charts_match_tables import _arguments, _small_groups
from tests.test_downloads_match_pages import GROWS, _csv_rows, _excel_rows, _trimmed

SAMPLED = ("state_admin", "fresno.lead", "fresno.coach", "fresno.evaluator")
PHONE = ("state_admin",)  # who may open every page

# A cell as a reader sees it: its rendered text without what the page hides from them or marks
# as no figure (icons, screen-reader-only hints marked data-download="skip", buttons, labels); a
# picker shows its chosen option.
READ_TABLE = """(table) => {
  const rows = [...table.querySelectorAll(':scope > thead > tr')].slice(-1)
    .concat([...table.querySelectorAll(':scope > tbody > tr')]);
  const all = rows.length ? rows : [...table.querySelectorAll('tr')];
  return all.map(row => [...row.children].filter(c => c.matches('th, td')).flatMap(cell => {
    const copy = cell.cloneNode(true);
    copy.querySelectorAll('select').forEach(s => {
      const chosen = cell.querySelector(`select[name="${s.name}"]`);
      s.replaceWith(chosen && chosen.selectedOptions[0] ? chosen.selectedOptions[0].text : '');
    });
    copy.querySelectorAll('svg, script, style, button, label, [aria-hidden="true"], '
                          + '[data-download="skip"]').forEach(n => n.remove());
    const text = copy.textContent.replace(/\\s+/g, ' ').trim();
    return [text].concat(Array(Math.max(0, (cell.colSpan || 1) - 1)).fill(''));
  }));
}"""


def _persona(personas: Personas, label: str) -> User:
    return next(p.user for p in every_persona(personas) if p.label == label)


def _pages(user: User) -> list[str]:
    """The addresses of the pages ``user`` may open, as the client walk opens them."""
    found = []
    for name, arguments in PAGES.items():
        if not may_open(user, name):
            continue
        try:
            kwargs = _arguments(arguments, user)
        except Refused:
            continue
        if kwargs is not None:
            found.append(reverse(name, kwargs=kwargs))
    return found


def _download(page: Page, link: Locator) -> bytes:
    with page.expect_download() as event:
        link.click()
    path = event.value.path()
    return path.read_bytes()


def _table_of(links: Locator) -> Locator | None:
    """The table a download line is drawn under (in its scrolling box, or just before it)."""
    before = links.locator("xpath=preceding-sibling::*[1]")
    if before.count() == 0:
        return None
    inner = before.locator("xpath=self::table | self::div[contains(@class,"
                           "'ph-table-scroll')]/table")
    return inner.first if inner.count() else None


def _walk_page(page: Page, url: str, name: str, problems: list[str]) -> tuple[int, int]:
    tables = charts = 0
    first = True
    for index in range(page.locator("p.ph-downloads").count()):
        line = page.locator("p.ph-downloads").nth(index)
        table = _table_of(line)
        for link in line.locator("a[href*='download=']").all():
            label = link.inner_text().strip()
            where = f"{url} #{index} {label}"
            if label == "Excel" and not first:
                continue
            body = _download(page, link)
            if label in {"CSV", "Excel"}:
                if table is None:
                    problems.append(f"{where}: a table link with no table above it")
                    continue
                shown = [_trimmed(row) for row in table.evaluate(READ_TABLE)]
                got = _csv_rows(body) if label == "CSV" else _excel_rows(body)
                if name in GROWS:
                    got, shown = got[:1], shown[:1]  # each reading adds an event row
                if got != shown:
                    problems.append(f"{where}: the file holds {got[:3]}…, the browser shows "
                                    f"{shown[:3]}…")
                tables += label == "CSV"
                first = first and label != "Excel"
            elif label == "PNG":
                charts += 1
                if not body.startswith(b"\x89PNG\r\n\x1a\n"):
                    problems.append(f"{where}: not a PNG")
            elif label == "SVG" and not (body.lstrip().startswith(b"<svg")
                                         and b"</svg>" in body):
                problems.append(f"{where}: not an SVG")
    return tables, charts


@pytest.mark.parametrize("label", SAMPLED)
def test_each_download_a_browser_clicks_holds_what_the_browser_shows(
    label: str, live_server: LiveServer, transactional_personas: Personas, page: Page,
) -> None:
    _small_groups(transactional_personas)
    user = _persona(transactional_personas, label)
    sign_in(page, live_server.url, user.username)
    problems: list[str] = []
    tables = charts = 0
    for path in _pages(user):
        response = page.goto(live_server.url + path)
        if response is None or response.status != 200:
            continue
        found = _walk_page(page, path, resolve(path).view_name, problems)
        tables, charts = tables + found[0], charts + found[1]
    assert tables > 3, tables
    assert not problems, "\n".join(problems[:30])
    print(f"\n{label}: {tables} tables and {charts} charts downloaded in the browser")


@pytest.mark.parametrize("label", PHONE)
def test_no_page_is_wider_than_a_phone(
    label: str, live_server: LiveServer, transactional_personas: Personas, page: Page,
) -> None:
    _small_groups(transactional_personas)
    user = _persona(transactional_personas, label)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server.url, user.username)
    wide = []
    for path in _pages(user):
        response = page.goto(live_server.url + path)
        if response is None or response.status != 200:
            continue
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            wide.append(f"{path}: {width} px")
    assert wide == []


def test_a_large_download_opens_its_job_page_which_then_offers_the_file(
    live_server: LiveServer, transactional_personas: Personas, page: Page, settings: Any,
) -> None:
    from django_tasks_db.management.commands.db_worker import Worker

    sign_in(page, live_server.url, transactional_personas.state_admin.username)
    page.goto(live_server.url + reverse("audit:events") + "?action=sign_in")
    table = page.locator("div.ph-table-scroll > table").first
    shown = [_trimmed(row) for row in table.evaluate(READ_TABLE)]
    settings.EXPORT_BACKGROUND_ROWS = 0
    page.locator("div.ph-table-scroll + p.ph-downloads a", has_text="CSV").first.click()
    page.wait_for_url("**/exports/*/")
    expect(page.get_by_text("Waiting for the task worker to start.")).to_be_visible()
    Worker(queue_names=["*"], interval=0, batch=True, backend_name="default",
           startup_delay=False, max_tasks=None, worker_id="browser-test-worker",
           excluded_queue_names=[]).run()
    expect(page.get_by_text("The file is ready.")).to_be_visible(timeout=10_000)  # htmx poll
    body = _download(page, page.get_by_role("link", name=re.compile(r"^Download audit-events")))
    assert _csv_rows(body) == shown
