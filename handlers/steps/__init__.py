"""The pipeline's steps, one small module each, and the standard order."""
