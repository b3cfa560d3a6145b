"""``evaltools preview REVIEW``: the review's HTML rendered, served on 127.0.0.1, rendered again on every change.

Like ``quarto preview``: one render of the HTML (the same :func:`~evaltools.render.run.run_review` as
``evaltools run --to html``, so what is served is what ``run`` would publish), then the outputs folder is
served by Python's ``http.server`` bound to 127.0.0.1 only (a port the system gives, or the one asked), and
``watchfiles`` watches what an analyst edits: the review config, its narratives, the report notebook and
the programme's folder (texts.yaml, programme.yaml, style). Each change renders the HTML again and prints
one line; a failing render prints its one-line error and the page keeps the last good render. Ctrl-C stops
the watch and the server (exit 130); a render it interrupts leaves the last good outputs, no kernel.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable, Iterable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import watchfiles

from evaltools.core import interrupts
from evaltools.core.errors import EvaltoolsError
from evaltools.project.programme import review_programme
from evaltools.project.review import load_review
from evaltools.render.progress import Reporter
from evaltools.render.run import RunResult, notebooks_of, run_review

HOST = "127.0.0.1"          # never another interface: a draft report is nobody else's to read


class _Handler(SimpleHTTPRequestHandler):
    """Files of the outputs folder only: no directory listing, no path (or link) leading out of it."""

    def list_directory(self, path):
        self.send_error(404, "no listing")
        return None

    def translate_path(self, path: str) -> str:
        found = Path(super().translate_path(path)).resolve()
        root = Path(self.directory).resolve()
        return str(found) if found == root or root in found.parents else str(root / ".not-served")

    def log_message(self, format, *args) -> None:    # noqa: A002 - http.server's name; requests are not news
        return


def bind(folder: Path, port: int = 0) -> ThreadingHTTPServer:
    """A server of ``folder`` bound to 127.0.0.1:``port`` (0: a free one), not serving yet (:func:`serve`)."""
    try:
        return ThreadingHTTPServer((HOST, port), functools.partial(_Handler, directory=str(folder)))
    except OSError as exc:
        raise EvaltoolsError(f"{HOST}:{port}: cannot serve there ({exc.strerror}); choose another --port, or "
                             "leave it out for a free one") from None


def serve(server: ThreadingHTTPServer) -> threading.Thread:
    """Answer requests from a daemon thread until ``server.shutdown()`` (which only a serving server may call)."""
    thread = threading.Thread(target=server.serve_forever, name="preview-server", daemon=True)
    thread.start()
    return thread


def watched(config: Path, notebook: str | Path | None = None) -> tuple[list[Path], Callable[[Path], bool]]:
    """The folders to watch for a review, and whether a changed path is one of its inputs (its config,
    narratives, report notebook, or a file of its programme's folder outside hidden ones)."""
    review = load_review(config)
    programme = review_programme(review)
    files = {review.path.resolve(), *(p.resolve() for p in (review.narrative or {}).values()),
             notebooks_of(review, programme, notebook)["review"].resolve()}
    folder = programme.folder.resolve()

    def relevant(path: Path) -> bool:
        path = path.resolve()
        if path in files:
            return True
        inside = folder in path.parents
        return inside and not any(part.startswith(".") for part in path.relative_to(folder).parts)

    roots = {p.parent for p in files} | {folder}
    return sorted(r for r in roots if not any(o in r.parents for o in roots)), relevant


def _names(changes: Iterable[tuple[object, str]]) -> str:
    return ", ".join(sorted({Path(p).name for _, p in changes}))


def preview(config: Path, out: Path, port: int = 0, lang: str | None = None, notebook: str | Path | None = None,
            reporter: Reporter | None = None, say: Callable[[str], None] = print) -> None:
    """Render ``config``'s HTML into ``out``, serve ``out``, and render again on each change until Ctrl-C.

    Raises
    ------
    EvaltoolsError
        When the first render fails (nothing is served); later failures are reported and waited out.
    KeyboardInterrupt
        On Ctrl-C, once the server is shut down.
    """
    def render() -> RunResult:
        result = run_review(config, formats=("html",), lang=lang, out=out, notebook=notebook, reporter=reporter)
        interrupts.begin()              # the outputs are committed; waiting for a change is interruptible again
        interrupts.checkpoint()         # a Ctrl-C held while they were committed stops here
        return result

    server, serving = bind(Path(out), port), None     # a port taken is said before a render is spent
    try:
        first = render()
        roots, relevant = watched(config, notebook)
        serving = serve(server)
        say(f"serving http://{HOST}:{server.server_address[1]}/{first.review_id}/report.html (rendered in "
            f"{first.seconds:.1f} s); watching {', '.join(map(str, roots))}; Ctrl-C stops")
        for changes in watchfiles.watch(*roots, watch_filter=lambda _, path: relevant(Path(path)),
                                        raise_interrupt=True):
            clock = time.perf_counter()
            try:
                done = render()
            except EvaltoolsError as exc:
                message = "; ".join(line.strip() for line in str(exc).splitlines() if line.strip())
                say(f"render failed after {_names(changes)} changed ({time.perf_counter() - clock:.1f} s): "
                    f"{message}; still serving the last good render")
                continue
            say(f"re-rendered {done.review_id} after {_names(changes)} changed ({done.seconds:.1f} s)")
    finally:
        if serving is not None:
            server.shutdown()
        server.server_close()
