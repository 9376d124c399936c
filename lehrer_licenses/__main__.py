import sys

from lehrer_licenses.cli.main import main

sys.exit(main())
