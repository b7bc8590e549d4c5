"""Request-level rules below the container: the authorization table (who may do what) and the rate
limits and lock-outs."""
