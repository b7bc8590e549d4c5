"""Performance benchmarks (``make bench``); results in docs/PERFORMANCE.md."""
