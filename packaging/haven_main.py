"""Entry script of the frozen `clinic-app` executable (PyInstaller).

The installed `clinic-app` script calls `clinic_app.app:main` the same way; here
`multiprocessing.freeze_support()` comes first, before anything else is imported,
so that the intake sandbox's "spawn" children (which start this same executable
with `--multiprocessing-fork ...`) run the child's code and never the application.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()

    from clinic_app.app import main

    sys.exit(main())
