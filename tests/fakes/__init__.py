"""Local stand-ins for outside services, served on loopback and spoken to by the real clients."""
