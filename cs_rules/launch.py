"""The console entry point, kept light so that ``cs-rules --help`` answers at once.

Importing typer and rendering its help costs ~0.13 s (typer's rich help imports rich,
markdown-it and pydantic-free but heavy modules), more than a help request should take.  A help
screen is a pure function of the command line, the environment, the terminal and the installed
code, so the first rendering of each is kept in the user's cache and the next identical request
prints those bytes without importing typer at all (~0.03 s).  Anything that could change the
screen is in the key: the argv, every environment variable but the shell's own bookkeeping, which
standard streams are terminals and the terminal's size, the Python, the mtimes of cs_rules' own
files and of the site-packages folders (an upgrade of typer or rich changes them).  Only an argv of
command words, ``--help``/``-h`` and ``--lang X`` is cached, and only a rendering that exited 0
and wrote nothing to stderr; ``CS_RULES_HELP_CACHE=off`` turns the cache off.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import Any

_HELP = ("--help", "-h")
_VOLATILE = {"PWD", "OLDPWD", "_", "SHLVL", "TMUX_PANE", "WINDOWID", "SSH_CLIENT", "SSH_CONNECTION"}
_MAX_FILES = 200  # screens kept; the oldest go first


def main() -> None:
    try:
        key = _help_key(sys.argv[1:])
    except Exception:  # noqa: BLE001 - an odd environment: render the help as always
        key = None
    if key is not None:
        cached = _cache_dir() / f"help-{key}.out"
        try:
            data = cached.read_bytes()
        except OSError:
            data = None
        if data is not None:
            try:
                sys.stdout.buffer.write(data)
                sys.stdout.flush()
            except (OSError, ValueError):  # a closed pipe: nobody is reading
                pass
            os._exit(0)
        _render_and_keep(cached)
    from cs_rules import cli

    cli.main()


def _help_key(argv: list[str]) -> str | None:
    """The cache key of a help request, or None when ``argv`` is not one the cache may answer."""
    if os.environ.get("CS_RULES_HELP_CACHE", "").lower() in ("off", "0", "no", "false"):
        return None
    if not any(a in _HELP for a in argv):
        return None
    expect_lang = False
    for a in argv:
        if expect_lang:
            expect_lang = False
            if not a.replace("-", "").replace("_", "").isalnum():
                return None
        elif a == "--lang":
            expect_lang = True
        elif a in _HELP or (a.startswith("--lang=") and a[7:].replace("-", "").replace("_", "").isalnum()):
            continue
        elif not (a.isascii() and a.replace("-", "").isalpha() and a[0].isalpha()):
            return None  # a value (a month, a path …) could make the command read files: no cache
    import hashlib

    parts: list[str] = ["v1", sys.version, sys.executable, "\0".join(argv)]
    parts += [f"{k}={v}" for k, v in sorted(os.environ.items()) if k not in _VOLATILE]
    parts += [f"tty{fd}={_isatty(fd)}" for fd in (0, 1, 2)]
    parts.append(f"size={_terminal_size()}")
    parts += _code_stamp()
    return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()[:32]


def _isatty(fd: int) -> bool:
    try:
        return os.isatty(fd)
    except OSError:
        return False


def _terminal_size() -> tuple[int, int] | None:
    for fd in (0, 1, 2):  # as rich looks for it
        try:
            return tuple(os.get_terminal_size(fd))  # type: ignore[return-value]
        except (OSError, ValueError):
            continue
    return None


def _code_stamp() -> list[str]:
    """mtime and size of every file of the package, and of the folders packages are installed in."""
    here = Path(__file__).resolve().parent
    out: list[str] = []
    stack: list[str] = [str(here)]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for e in entries:
            if e.is_dir(follow_symlinks=False):
                if e.name != "__pycache__":
                    stack.append(e.path)
            elif e.name.endswith((".py", ".toml")):
                st = e.stat()
                out.append(f"{e.path}:{st.st_mtime_ns}:{st.st_size}")
    import site

    for folder in [*site.getsitepackages(), site.getusersitepackages()]:
        try:
            out.append(f"{folder}:{os.stat(folder).st_mtime_ns}")
        except OSError:
            continue
    out.sort()
    return out


def _cache_dir() -> Path:
    given = os.environ.get("CS_RULES_CACHE_DIR")
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "cs-rules"


class _Tee:
    """A stream that writes through to the real one and keeps a copy of the bytes it was given.

    click probes a stream with ``write(b"")`` and may write to its ``buffer``: both are passed on
    as the real stream takes them, and only what it accepted is kept."""

    def __init__(self, real: Any, parts: list[bytes] | None = None, binary: bool = False) -> None:
        self.real = real
        self.parts: list[bytes] = [] if parts is None else parts
        self.binary = binary

    def write(self, data: Any) -> int:
        n = self.real.write(data)
        if self.binary:
            self.parts.append(bytes(data))
        else:
            enc = getattr(self.real, "encoding", None) or "utf-8"
            self.parts.append(str(data).encode(enc, getattr(self.real, "errors", None) or "strict"))
        return int(n or 0)

    @property
    def buffer(self) -> _Tee:
        return _Tee(self.real.buffer, self.parts, binary=True)

    def __getattr__(self, name: str) -> Any:  # isatty, fileno, encoding, flush … as the real stream
        return getattr(self.real, name)


def _render_and_keep(cached: Path) -> None:
    """Render the help as always; keep its bytes when it exited 0 with nothing on stderr."""
    from cs_rules import cli

    out, errs = _Tee(sys.stdout), _Tee(sys.stderr)
    real_out, real_err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, errs  # type: ignore[assignment]
    code: object = 0
    try:
        cli.app()
    except SystemExit as exc:
        code = exc.code
    except BaseException as exc:  # pragma: no cover - the same last guard as cli.main
        sys.stdout, sys.stderr = real_out, real_err
        cli.err(f"internal error: {type(exc).__name__}: {exc}")
        cli._hard_exit(3)
    finally:
        sys.stdout, sys.stderr = real_out, real_err
    if code in (0, None) and not any(errs.parts):
        with contextlib.suppress(Exception):  # no cache then; the help was shown, which is what counts
            _store(cached, b"".join(out.parts))
    cli._hard_exit(code)


def _store(cached: Path, data: bytes) -> None:
    cached.parent.mkdir(parents=True, exist_ok=True)
    tmp = cached.with_name(f".{cached.name}.{os.getpid()}")
    tmp.write_bytes(data)
    os.replace(tmp, cached)
    screens = sorted(cached.parent.glob("help-*.out"), key=lambda p: p.stat().st_mtime)
    for old in screens[:-_MAX_FILES]:
        old.unlink(missing_ok=True)
