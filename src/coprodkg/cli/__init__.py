"""The ``coprodkg`` command line: options in, one library call, a rendering out, an exit code.

- :mod:`.app`: the Typer app, its one-line errors and the root callback;
- :mod:`.options`: the shared graph options, declared once, handed to commands as one
  frozen :class:`~.options.GraphOptions`; the engine they describe;
- :mod:`.choices`: the fixed choices (``--format`` ...), as enums;
- :mod:`.output`: where a command's output goes;
- :mod:`.reading`, :mod:`.extending`, :mod:`.stores`, :mod:`.network`: the commands, by family,
  each a declaration and one library call.

Heavy libraries are imported inside the commands, so ``coprodkg --help`` stays fast. Only this
package imports Typer or prints; the library raises its own errors.
"""

from __future__ import annotations

# each module registers its commands on the app, in this order (the order of `coprodkg --help`)
# isort: off
from . import reading, extending, stores, network  # noqa: F401

# isort: on
from .app import app, main

__all__ = ["app", "main"]
