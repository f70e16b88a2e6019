"""R2: a BOSS report, or equivalent specialist advice with its source named."""

import pytest

from ap_provision.rules.evidence import evidence_problem

BOSS = "/private/files/boss-report-jsmith.pdf"
ADVICE = "/private/files/ep-report.pdf"
SOURCE = "Educational psychologist, J Smith, 3 March 2026"


@pytest.mark.parametrize(
	"boss_report, specialist_advice, advice_source",
	[
		(BOSS, None, None),
		(BOSS, "", ""),
		(BOSS, ADVICE, None),  # the BOSS report is enough on its own
		(BOSS, ADVICE, SOURCE),
		(None, ADVICE, SOURCE),
		("", ADVICE, SOURCE),
	],
)
def test_enough_evidence(boss_report, specialist_advice, advice_source):
	assert evidence_problem(boss_report, specialist_advice, advice_source) is None


@pytest.mark.parametrize(
	"boss_report, specialist_advice, advice_source",
	[(None, None, None), ("", "", ""), ("  ", " ", "\t")],
)
def test_no_evidence_at_all(boss_report, specialist_advice, advice_source):
	message = evidence_problem(boss_report, specialist_advice, advice_source)
	assert message is not None
	assert "Attach a BOSS report" in message
	assert "name its source" in message


@pytest.mark.parametrize("advice_source", [None, "", "   "])
def test_advice_without_source(advice_source):
	message = evidence_problem(None, ADVICE, advice_source)
	assert message is not None
	assert "not said where it came from" in message
	assert "Educational psychologist" in message  # shows an example of a good source
	assert message != evidence_problem(None, None, None)


def test_source_without_advice_document():
	message = evidence_problem(None, None, "  " + SOURCE + " ")
	assert message is not None
	assert "not attached the advice itself" in message
	assert SOURCE in message
	assert message != evidence_problem(None, None, None)
	assert message != evidence_problem(None, ADVICE, None)
