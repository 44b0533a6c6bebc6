"""Sign in to a running demo as each demo user and save their home page and main page as PNGs,
1280 px wide and at most 2000 px tall, with a README listing them (run by scripts/screenshots)."""

from __future__ import annotations

import argparse
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
WIDTH, MOST_HEIGHT = 1280, 2000
PASSWORD = "practicehub-demo"  # noqa: S105  (the demo's printed password; synthetic accounts)


@dataclass(frozen=True)
class Shot:
    username: str
    role: str
    path: str
    what: str

    @property
    def file(self) -> str:
        name = "home" if self.path == "/" else self.path.strip("/").replace("/", "-")
        return f"{self.username.replace('.', '-')}-{name}.png"


MAIN_PAGES = (
    ("state.admin", "State administrator", "/implementation/", "statewide implementation"),
    ("central.support", "Regional implementation support", "/implementation/support/",
     "the support log with its dosage charts"),
    ("fresno.lead", "County implementation lead", "/implementation/plans/",
     "the county's implementation plans"),
    ("fresno.coach", "Coach / supervisor", "/fidelity/coaching/",
     "coaching plans as a cascade"),
    ("fresno.worker", "Practitioner", "/fidelity/observations/",
     "the worker's own observations"),
    ("fresno.analyst", "Evaluator / analyst", "/outcomes/", "the outcome dashboard"),
    ("fresno.partner", "Community or Tribal partner", "/fidelity/",
     "aggregate fidelity results"),
)


def shots() -> list[Shot]:
    found: list[Shot] = []
    for username, role, path, what in MAIN_PAGES:
        found += [Shot(username, role, "/", "home page"), Shot(username, role, path, what)]
    return found


def wait_until_up(base: str, seconds: float = 60) -> None:
    """The server answers /healthz (gunicorn takes a few seconds to start)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=30):  # noqa: S310
                return
        except OSError:  # refused, reset or timed out (URLError is an OSError)
            if time.monotonic() > deadline:
                raise SystemExit(f"No server answered at {base} within {seconds:.0f} s.") from None
            time.sleep(0.5)


def sign_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


def save(page: Page, base: str, shot: Shot, folder: Path) -> None:
    response = page.goto(base + shot.path, wait_until="networkidle")
    if response is None or response.status != 200:
        status = response.status if response else "no answer"
        raise SystemExit(f"{shot.username} {shot.path}: {status}")
    height = page.evaluate("document.documentElement.scrollHeight")
    page.screenshot(path=folder / shot.file, full_page=True,
                    clip={"x": 0, "y": 0, "width": WIDTH, "height": min(height, MOST_HEIGHT)})
    print(f"  {shot.file} ({height} px tall{', cut at 2000' if height > MOST_HEIGHT else ''})")


def readme(taken: list[Shot]) -> str:
    rows = "\n".join(f"| `{s.username}` | {s.role} | `{s.path}` | {s.what} | "
                     f"[{s.file}]({s.file}) |" for s in taken)
    return (
        "# Screenshots\n\n"
        "Each demo user's home page and main page, 1280 px wide and cut at 2000 px tall, "
        "taken from the demo's synthetic data by `scripts/screenshots` (which builds the demo, "
        "serves it on 127.0.0.1 and signs in as each user). Run it again to regenerate them; "
        "the dates follow the day the demo was built.\n\n"
        "| user | role | page | what it shows | file |\n|---|---|---|---|---|\n"
        f"{rows}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", default="http://127.0.0.1:8765")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    options = parser.parse_args()
    options.out.mkdir(parents=True, exist_ok=True)
    wait_until_up(options.base)
    taken = shots()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": WIDTH, "height": 900})
        page.set_default_timeout(60_000)
        for shot in taken:
            if shot.path == "/":
                sign_in(page, options.base, shot.username)
            save(page, options.base, shot, options.out)
        browser.close()
    (options.out / "README.md").write_text(readme(taken), encoding="utf-8")
    print(f"{len(taken)} screenshots and README.md in {options.out}/")


if __name__ == "__main__":
    main()
