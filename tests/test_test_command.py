"""The test command cannot go green by skipping: a tier asked for whose prerequisites are
missing fails the run before anything runs, naming the command that sets it up."""

import os
import subprocess
from pathlib import Path

import pytest

TEST_SH = Path(__file__).resolve().parent.parent / "scripts" / "test.sh"


def run(*args, **env):
	return subprocess.run(
		["bash", str(TEST_SH), *args],
		capture_output=True,
		text=True,
		# Only what the case sets: the run of this very suite sets AP_TIERS=portable, for one.
		env={
			**{k: v for k, v in os.environ.items() if k not in ("AP_TIERS", "BENCH_PATH", "CHROMIUM")},
			**env,
		},
		timeout=60,
	)


@pytest.mark.parametrize(
	"args, env, tier, hint",
	[
		(
			(),
			{"BENCH_PATH": "/nonexistent-bench"},
			"bench",
			"no bench at /nonexistent-bench: run scripts/setup.sh",
		),
		(("--bench-only",), {"BENCH_PATH": "/nonexistent-bench"}, "bench", "run scripts/setup.sh"),
		(
			(),
			{"AP_TIERS": "browser", "BENCH_PATH": "/nonexistent-bench"},
			"bench",
			"no bench at /nonexistent-bench",
		),
		((), {"CHROMIUM": "/nonexistent-chromium"}, "browser", "installs Debian's chromium"),
		(
			(),
			{"AP_TIERS": "portable,bench,browser", "CHROMIUM": "/nonexistent-chromium"},
			"browser",
			"no chromium at /nonexistent-chromium",
		),
	],
)
def test_a_tier_that_cannot_run_fails_the_run_before_anything_runs(args, env, tier, hint):
	result = run(*args, **env)
	assert result.returncode == 1, result.stdout + result.stderr
	assert f"{tier} tier: FAILED (cannot run:" in result.stdout
	assert hint in result.stdout
	assert "nothing was run" in result.stdout
	assert "portable tier: passed" not in result.stdout


def test_ci_requires_every_tier():
	ci = (TEST_SH.parent.parent / ".ci" / "run").read_text()
	assert "AP_TIERS=portable,bench,browser" in ci
	assert "scripts/test.sh" in ci


def test_an_unknown_tier_is_refused():
	result = run(AP_TIERS="portable,brwoser")
	assert result.returncode != 0
	assert "unknown tier 'brwoser'" in result.stdout + result.stderr
