"""Channel adapters: one module (or package) per platform behind the `Channel` interface."""
