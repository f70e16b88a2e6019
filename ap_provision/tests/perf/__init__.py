"""Scale data and measurements for the performance benchmark (benchmarks/, docs/performance.md)."""
