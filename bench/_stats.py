"""The one percentile the benchmarks print (p50, p95, p99 of their samples)."""


def percentile(samples: list[float], fraction: float) -> float:
    """The sample at `fraction` of the sorted samples (no interpolation): 0.5 the median, 0.95 the 95th percentile."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]
