import sys

from codaiq_desktop.cli import main

sys.exit(main())
