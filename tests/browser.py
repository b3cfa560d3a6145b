"""Open a local HTML file in Debian's headless Chromium, offline, and report what a reader would get.

Playwright drives /usr/bin/chromium (installed by ``scripts/setup.sh test``); it never
downloads a browser of its own. Every request the page attempts is recorded and any
that leaves ``file://`` or ``data:`` is aborted, so the page is seen as it opens with
the network off.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
LOCAL_SCHEMES = ("file:", "data:", "about:")


@dataclass
class PageView:
    """What the browser showed: text, title, picture, dialogs and requests."""

    text: str                                   # document.body.innerText
    title: str                                  # document.title after load
    screenshot: bytes                           # PNG of the full page
    images: list[dict] = field(default_factory=list)   # each <img>: src scheme, natural size
    dialogs: list[str] = field(default_factory=list)   # "alert: 1", ...
    requests: list[str] = field(default_factory=list)  # every URL requested

    @property
    def remote_requests(self) -> list[str]:
        return [url for url in self.requests if not url.startswith(LOCAL_SCHEMES)]


_IMAGES_JS = """() => Array.from(document.images).map(img => ({
    scheme: img.src.split(':')[0], complete: img.complete,
    width: img.naturalWidth, height: img.naturalHeight}))"""


def open_page(path: str | Path, width: int = 1000, wait_ms: int = 300) -> PageView:
    """Load ``path`` in headless Chromium with networking blocked and return what it showed."""
    from playwright.sync_api import sync_playwright

    dialogs: list[str] = []
    requests: list[str] = []

    def on_dialog(dialog):
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def on_route(route):
        url = route.request.url
        if url.startswith(LOCAL_SCHEMES):
            route.continue_()
        else:
            route.abort("internetdisconnected")

    with tempfile.TemporaryDirectory() as profile, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True,
            offline=True, viewport={"width": width, "height": 800}, java_script_enabled=True)
        try:
            context.route("**/*", on_route)
            page = context.new_page()
            page.on("dialog", on_dialog)
            page.on("request", lambda request: requests.append(request.url))
            page.goto(Path(path).resolve().as_uri(), wait_until="load")
            page.wait_for_timeout(wait_ms)        # let any timer-driven script fire
            return PageView(text=page.inner_text("body"), title=page.title(),
                            screenshot=page.screenshot(full_page=True),
                            images=page.evaluate(_IMAGES_JS), dialogs=dialogs, requests=requests)
        finally:
            context.close()


def ink_pixels(png: bytes, threshold: int = 240) -> int:
    """Pixels of a PNG darker than ``threshold`` in any channel (0 for a blank page)."""
    import io

    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        grey = image.convert("RGB").point(lambda v: 255 if v >= threshold else 0).convert("L")
        histogram = grey.histogram()
    return sum(histogram[:255])
