"""``python -m geotech.cli``: the ``geotech`` command."""

from geotech.cli import main

raise SystemExit(main())
