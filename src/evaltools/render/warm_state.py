"""Inside a warm kernel (:class:`evaltools.render.kernel.WarmKernel`): the stack imported once, and the process
put back before each notebook as a freshly started kernel had it.

This module runs in the kernel, never in evaltools' own process. :func:`preload` imports the modules a
report notebook imports and records the state a notebook may change; :func:`reset` restores it: IPython's
user namespace and execution count, matplotlib's figures and rcParams (seaborn's themes live there),
pandas' options, the working folder, ``sys.path``, the environment, the warnings filters, and fresh seeds for
the random generators (a cold kernel's are seeded from the system). Modules stay imported, those a notebook
imported beyond the preloaded ones included: importing is what a warm kernel saves.
"""

from __future__ import annotations

import gc
import importlib
import os
import random
import sys
import warnings
from collections.abc import Sequence

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython import get_ipython

_baseline: dict = {}


def preload(modules: Sequence[str]) -> None:
    """Import ``modules``, then record the state :func:`reset` restores."""
    for name in modules:
        importlib.import_module(name)
    _baseline.update(cwd=os.getcwd(), path=list(sys.path), environ=dict(os.environ),
                     filters=list(warnings.filters),
                     rc={k: v for k, v in matplotlib.rcParams.items() if k != "backend"})   # pyplot holds the backend


def reset() -> None:
    """Put the kernel back as :func:`preload` left it, for the next notebook."""
    get_ipython().reset(new_session=True)          # user namespace, In/Out, execution count back to 1
    plt.close("all")
    with warnings.catch_warnings():                # rcParams and options that are deprecated warn when set
        warnings.simplefilter("ignore")
        matplotlib.rcParams.update(_baseline["rc"])
        pd.reset_option("all")
    os.chdir(_baseline["cwd"])
    sys.path[:] = _baseline["path"]
    os.environ.clear()
    os.environ.update(_baseline["environ"])
    warnings.resetwarnings()                       # also forgets which warnings were already shown once
    warnings.filters[:] = _baseline["filters"]
    np.random.seed()
    random.seed()
    gc.collect()
