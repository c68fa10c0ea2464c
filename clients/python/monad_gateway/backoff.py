"""Reconnect delays: exponential, capped, and jittered so that many clients dropped at once (a
gateway restart) do not all come back in the same instant."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    initial: float = 0.5
    """Delay before the first reconnect attempt, seconds (before jitter)."""
    maximum: float = 30.0
    """Cap on the delay, seconds."""
    factor: float = 2.0
    """Growth per failed attempt."""
    jitter: float = 0.5
    """Fraction of each delay that is random: 0.5 gives a delay uniform in [d/2, d]."""

    def __post_init__(self) -> None:
        if self.initial < 0 or self.maximum < self.initial or self.factor < 1 or not 0 <= self.jitter <= 1:
            raise ValueError(f"invalid backoff {self}")

    def delay(self, attempt: int, rng: random.Random | None = None) -> float:
        """Delay before reconnect attempt `attempt` (1 for the first after a disconnect)."""
        # Capping the exponent first keeps factor ** n from overflowing after a very long outage.
        n = min(max(attempt, 1) - 1, 64)
        d = min(self.maximum, self.initial * self.factor ** n)
        r = (rng or random).random()
        return d * (1 - self.jitter) + d * self.jitter * r
