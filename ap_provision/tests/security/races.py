"""Races through REST: requests released together from threads, each on its own
connection, exactly as two people clicking at once (bench tier)."""

from __future__ import annotations

import threading

from ap_provision.tests.security.client import Reply, RestUser


def race(calls: list[tuple[RestUser, str, str, dict]]) -> list[Reply]:
	"""Run ``(user, http, path, kwargs)`` requests at the same moment; replies in order."""
	barrier = threading.Barrier(len(calls))
	replies: list[Reply | None] = [None] * len(calls)

	def run(i, user, http, path, kwargs):
		barrier.wait()
		replies[i] = user.request(http, path, **kwargs)

	threads = [threading.Thread(target=run, args=(i, *call)) for i, call in enumerate(calls)]
	for t in threads:
		t.start()
	for t in threads:
		t.join()
	return replies  # type: ignore[return-value]
