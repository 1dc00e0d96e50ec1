"""govbot test suite; mirrors the source tree."""
