"""How the command line ends a failure: one line, an exit code, no traceback (unless ``--debug``).

Every failure the user can act on is an :class:`~evaltools.core.errors.EvaltoolsError` (one
line naming the file, row or key, and what to do; exit code 1). The operating system's
failures (a read-only folder, a full disk) become one line naming the path, and a bug
one line asking for ``--debug``; argparse's usage errors keep exit code 2. Library log
messages (asyncio's "Task exception was never retrieved" after Ctrl-C, nbclient's) are
not shown either, except with ``--debug``.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable

from evaltools.core.errors import HANDLED, EvaltoolsError, os_error_line


def _failure(debug: bool, line: str, code: int = HANDLED) -> int:
    """Print the one line of a failure (after the traceback, with --debug); return the exit code."""
    if debug:
        traceback.print_exc(file=sys.stderr)
    print(f"evaltools: {line}", file=sys.stderr)
    return code


def quiet_unraisable(hook_args) -> None:
    """Ctrl-C landing in a finaliser (a weakref callback) is not a failure to print: Python would show a
    traceback as "Exception ignored in ..."; the command is stopping anyway. Anything else, one line."""
    if not issubclass(hook_args.exc_type, KeyboardInterrupt):
        print(f"evaltools: warning: ignored {hook_args.exc_type.__name__} in a clean-up ({hook_args.exc_value}); "
              "run with --debug for details", file=sys.stderr)


def guarded(command: Callable[[], int], debug: bool) -> int:
    """Run ``command`` under the error contract; return its exit code."""
    if debug:
        logging.basicConfig(level=logging.INFO, force=True)
    else:
        logging.getLogger().addHandler(logging.NullHandler())   # no library chatter (asyncio, nbclient)
        sys.unraisablehook = quiet_unraisable
    try:
        return command()
    except EvaltoolsError as exc:
        return _failure(debug, f"error: {exc}", exc.exit_code)
    except KeyboardInterrupt:
        return _failure(debug, "interrupted; nothing was left half-written", 130)
    except BrokenPipeError:
        # The reader went away (``evaltools validate ... | head``): stop quietly, as Unix tools do.
        sys.stderr.close()
        return 141
    except OSError as exc:
        return _failure(debug, f"error: {os_error_line(exc)}")
    except MemoryError:
        return _failure(debug, "error: out of memory; nothing was half-written; close other programs, or split the "
                               "input into smaller files")
    except Exception as exc:  # noqa: BLE001 - the contract: no traceback reaches the user
        return _failure(debug, f"internal error: {type(exc).__name__}: {exc}; nothing was half-written; run the "
                               "command again with --debug (evaltools --debug ...) and report what it shows")
