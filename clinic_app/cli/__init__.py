"""The scriptable command line, `clinic-app`."""
