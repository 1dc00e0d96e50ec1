"""Comments on the accounts' own posts: polled, answered publicly only when safe and approved."""
