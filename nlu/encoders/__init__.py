"""Sentence encoders: text to L2-normalised vectors, one module per backend."""
