"""The fuzz suite of issue #10: seeded mutations of a valid file of every input kind, run
through the operations layer in worker processes, each outcome classified.

* :mod:`fuzz.core`: variants, expectations and outcomes;
* :mod:`fuzz.reader`: the oracle's own reading of tables (csv module, openpyxl) and cells;
* :mod:`fuzz.mutators`: deterministic mutators (text, table, xlsx, YAML, XML);
* :mod:`fuzz.kinds_*`: per input kind a seed, the operation and an oracle;
* :mod:`fuzz.worker`: runs one variant on a copy of a prepared store and classifies it;
* :mod:`fuzz.runner`: variants of every kind, a pool of workers with a timeout each.
"""
