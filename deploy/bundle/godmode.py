"""The standalone bundle's one executable: ``godmode`` as installed (the window, ``watch``,
``doctor``, ``demo``), and ``godmode server ...`` for the backend's own commands, which the
demo runs as a child process (a bundle has no separate Python to run ``-m godmode_server``)."""

import sys


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "server":
        from godmode_server.cli import main as server

        sys.argv = ["godmode-server", *sys.argv[2:]]
        server()
    else:
        from godmode_desktop.cli import main as app

        sys.argv[0] = "godmode"
        app()


if __name__ == "__main__":
    main()
