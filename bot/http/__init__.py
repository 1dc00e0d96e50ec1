"""HTTP plumbing shared by the channels: size limits and error responses."""
