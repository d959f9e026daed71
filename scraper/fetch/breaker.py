"""A per-host circuit breaker: a host that keeps failing is backed off as a whole.

Every attempt on a host reports whether it failed transiently (5xx, 429,
timeouts, dropped connections). After ``threshold`` failures in a row the
breaker opens: it returns a cool-down that the fetcher turns into a pause of
the whole host, so the host's other URLs stop hammering it while other hosts
go on. The next failure after a cool-down doubles it (up to ``max_cooldown``);
any success closes the breaker again.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class _State:
    failures: int = 0
    trips: int = 0


class CircuitBreaker:
    def __init__(self, *, threshold: int, cooldown: float, max_cooldown: float = 3600.0) -> None:
        self._threshold = threshold
        self._cooldown = cooldown
        self._max_cooldown = max_cooldown
        self._hosts: dict[str, _State] = {}

    def success(self, host: str) -> None:
        self._hosts.pop(host, None)

    def failure(self, host: str) -> float | None:
        """Count a failure; the seconds to back ``host`` off for when the breaker opens."""
        state = self._hosts.setdefault(host, _State())
        state.failures += 1
        if state.failures < self._threshold:
            return None
        state.failures = self._threshold - 1  # after the pause, one more failure re-opens it
        state.trips += 1
        return float(min(self._cooldown * 2.0 ** (state.trips - 1), self._max_cooldown))

    def failures(self, host: str) -> int:
        state = self._hosts.get(host)
        return state.failures if state else 0
