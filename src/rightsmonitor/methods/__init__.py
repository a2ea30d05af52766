"""Pure computations, one module per method family, each citing its source."""
