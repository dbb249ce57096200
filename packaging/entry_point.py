"""The bundle's entry point: the ``codaiq-desktop`` command, GUI and sub-commands alike.

PyInstaller needs a script rather than a console-script entry point. The same
executable runs the app (no arguments) and every sub-command, which is how the
app starts its sandbox child (``codaiq-desktop sandbox --ready-json``) in a bundle.
"""

import multiprocessing
import sys

from codaiq_desktop.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # Windows: a child started by multiprocessing must not rerun main()
    sys.exit(main())
