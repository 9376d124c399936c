"""The command line: the same use cases as the app, for batch work and automation."""
