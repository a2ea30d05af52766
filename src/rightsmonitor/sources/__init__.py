"""Readers and writers of every evidence format, and the bundled datasets: they parse and
validate, and every observation keeps its source. Nothing here writes to the store; the
operations (:mod:`rightsmonitor.ops`) do, in one transaction."""
