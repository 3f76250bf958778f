"""The ``civicflow`` command: run the demo, serve, run the worker, or manage the instance."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

SETTINGS = "civicflow.config.settings"


def _setup_django(mode: str | None = None) -> None:
    if mode:
        os.environ["CIVICFLOW_MODE"] = mode
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django

    django.setup()


def _call(*args: str) -> None:
    from django.core.management import call_command

    call_command(*args)


def _serve(*, host: str, port: int, workers: int, reload: bool = False) -> int:
    command = [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--blocking-threads",
        "4",
        "--no-ws",
        "--log-level",
        "warning",
    ]
    if reload:
        command.append("--reload")
    command.append("civicflow.config.wsgi:application")
    try:
        return subprocess.call(command, env=os.environ.copy())
    except KeyboardInterrupt:
        return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Set up a fresh demo database, load the demo network and serve it."""
    data_dir = Path(args.data_dir).resolve()
    os.environ["CIVICFLOW_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    database = data_dir / "civicflow.sqlite3"
    if not args.keep:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
    data_dir.mkdir(parents=True, exist_ok=True)
    _setup_django("demo")
    print("Setting up the demo database…", flush=True)
    _call("migrate", "--no-input", "--verbosity", "0")
    from civicflow.demo.network import demo_load, demo_sign_ins

    demo_load()
    address = f"http://{args.host}:{args.port}"
    print()
    print(f"civicflow demo is ready at {address}")
    print()
    print("Demo sign-ins (password for all: " + demo_sign_ins()[0]["password"] + ")")
    for sign_in in demo_sign_ins():
        print(f"  {sign_in['email']:<42} {sign_in['description']}")
    print()
    if args.no_serve:
        return 0
    print("Emails (sign-up confirmations, password resets) are printed here.")
    print("Press Ctrl+C to stop.", flush=True)
    # The demo runs one background worker beside the web server, as production does.
    worker = subprocess.Popen(
        [sys.executable, "-m", "civicflow.config.cli", "worker", "--interval", "1"],
        env=os.environ.copy(),
    )
    try:
        return _serve(host=args.host, port=args.port, workers=1)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the instance with a production server."""
    _setup_django()
    from django.core.management import call_command

    call_command("check", "--deploy", "--fail-level", "ERROR")
    return _serve(host=args.host, port=args.port, workers=args.workers)


def cmd_worker(args: argparse.Namespace) -> int:
    """Run background tasks from the queue until stopped."""
    _setup_django()
    command = [
        "db_worker",
        "--queue-name",
        args.queue,
        "--interval",
        str(args.interval),
        "--no-reload",
    ]
    if args.batch:
        command.append("--batch")
    try:
        _call(*command)
    except KeyboardInterrupt:
        return 0
    return 0


def cmd_manage(args: argparse.Namespace) -> int:
    """Run one of Django's management commands."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["civicflow manage", *args.rest])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="civicflow",
        description="civicflow: an open-innovation platform for public services.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = commands.add_parser(
        "demo",
        help="set up a fresh demo instance on SQLite and serve it",
        description="Create a fresh SQLite database, load the demo network of organisations, "
        "print the demo sign-ins and serve the instance.",
    )
    demo.add_argument("--host", default="127.0.0.1", help="address to listen on")
    demo.add_argument("--port", type=int, default=8000, help="port to listen on")
    demo.add_argument(
        "--data-dir",
        default=os.environ.get("CIVICFLOW_DEMO_DIR", "var/demo"),
        help="folder for the demo database (default: var/demo)",
    )
    demo.add_argument("--keep", action="store_true", help="keep an existing demo database")
    demo.add_argument("--no-serve", action="store_true", help="set up the demo, do not serve")
    demo.set_defaults(handler=cmd_demo)

    serve = commands.add_parser(
        "serve",
        help="serve the instance with a production server",
        description="Serve civicflow with granian and several worker processes. Settings come "
        "from the environment (SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS, REDIS_URL…).",
    )
    serve.add_argument("--host", default="0.0.0.0", help="address to listen on")  # noqa: S104
    serve.add_argument("--port", type=int, default=8000, help="port to listen on")
    serve.add_argument(
        "--workers",
        type=int,
        default=max(2, os.cpu_count() or 2),
        help="number of worker processes",
    )
    serve.set_defaults(handler=cmd_serve)

    worker = commands.add_parser(
        "worker",
        help="run background tasks (emails, indexing) from the queue",
        description="Run queued background tasks until stopped. Run one or more beside the "
        "app servers.",
    )
    worker.add_argument("--queue", default="default", help="queue to take tasks from")
    worker.add_argument("--batch", action="store_true", help="run the tasks waiting now, then stop")
    worker.add_argument(
        "--interval",
        type=float,
        default=1.0,
        help="seconds to wait before looking again when the queue is empty",
    )
    worker.set_defaults(handler=cmd_worker)

    manage = commands.add_parser(
        "manage",
        help="run a Django management command (migrate, createsuperuser…)",
        description="Run a Django management command, e.g. 'civicflow manage migrate'.",
        add_help=False,
    )
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(handler=cmd_manage)

    from civicflow.opinions.cli import add_parser as add_opinions_parser

    add_opinions_parser(commands)

    from civicflow.budgets.cli import add_parser as add_pb_parser

    add_pb_parser(commands)

    from civicflow.outcomes.cli import add_parser as add_outcomes_parser

    add_outcomes_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "manage" and not args.rest:
        args.rest = ["help"]
    return int(args.handler(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
