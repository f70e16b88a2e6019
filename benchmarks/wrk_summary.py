"""One wrk run's figures as JSON (benchmarks/load.sh): throughput, requests, latency
percentiles, non-2xx/3xx responses and socket errors (connect + read + write + timeout).

    wrk ... --latency URL | python3 benchmarks/wrk_summary.py SCENARIO HTTP_STATUS
"""

import json
import re
import sys

SOCKET_ERRORS = re.compile(r"Socket errors:\s*connect (\d+), read (\d+), write (\d+), timeout (\d+)")
NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s*(\d+)")
REQUESTS = re.compile(r"^\s*(\d+) requests in ", re.M)
RPS = re.compile(r"^Requests/sec:\s*([\d.]+)", re.M)


def percentile(text: str, label: str) -> str:
	match = re.search(rf"^\s*{re.escape(label)}\s+(\S+)", text, re.M)
	return match.group(1) if match else ""


def summary(text: str, scenario: str = "", status: int = 0) -> dict:
	"""wrk's figures from its output; a figure wrk did not print is 0 (no errors of that kind)."""
	errors = SOCKET_ERRORS.search(text)
	non_2xx = NON_2XX.search(text)
	requests = REQUESTS.search(text)
	rps = RPS.search(text)
	return {
		"scenario": scenario,
		"status": status,
		"rps": float(rps.group(1)) if rps else 0.0,
		"requests": int(requests.group(1)) if requests else 0,
		"non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
		"socket_errors": sum(int(n) for n in errors.groups()) if errors else 0,
		"socket_error_kinds": dict(
			zip(("connect", "read", "write", "timeout"), (int(n) for n in errors.groups()), strict=True)
		)
		if errors
		else {},
		"p50": percentile(text, "50%"),
		"p99": percentile(text, "99%"),
		# wrk printed no summary at all (it failed or was killed): the run measured nothing
		"complete": bool(rps and requests),
	}


if __name__ == "__main__":
	scenario = sys.argv[1] if len(sys.argv) > 1 else ""
	status = int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2].isdigit() else 0
	x = summary(sys.stdin.read(), scenario, status)
	print(json.dumps(x))
	print(
		f"  {scenario}: HTTP {status}, {x['rps']} req/s, p50 {x['p50']}, p99 {x['p99']}, "
		f"non-2xx {x['non_2xx']}, socket errors {x['socket_errors']}",
		file=sys.stderr,
	)
