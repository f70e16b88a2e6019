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


# -- evidence files: judged on the stored content, not the name the browser gave ---------------

PDF_HEAD = b"%PDF-1.4\n1 0 obj"


def test_a_real_pdf_is_accepted():
	from ap_provision.rules.evidence import attachment_problem

	assert attachment_problem("boss.pdf", 2000, PDF_HEAD) is None
	assert attachment_problem("BOSS.PDF", 2000, PDF_HEAD) is None
	assert attachment_problem("photo.jpg", 10, b"\xff\xd8\xff\xe0") is None
	assert attachment_problem("notes.txt", 10, b"Plain notes") is None
	assert attachment_problem("advice.docx", 10, b"PK\x03\x04\x14\x00") is None


def test_content_that_does_not_match_the_name_is_refused():
	from ap_provision.rules.evidence import attachment_problem

	assert "not really a PDF" in attachment_problem("boss.pdf", 2000, b"MZ\x90\x00")
	assert "not really a PNG" in attachment_problem("scan.png", 2000, PDF_HEAD)
	assert "not a text file" in attachment_problem("notes.txt", 2000, b"MZ\x90\x00")
	assert "not a text file" in attachment_problem("notes.txt", 2000, b"ab\x00cd")
	assert "not an accepted file type" in attachment_problem("run.exe", 2000, b"MZ")
	assert "not an accepted file type" in attachment_problem("noextension", 2000, PDF_HEAD)


def test_size_is_the_real_size_and_the_limit_holds_at_its_edge():
	from ap_provision.rules.evidence import MAX_ATTACHMENT_MB, attachment_problem

	assert MAX_ATTACHMENT_MB == 10
	limit = 10 * 1024 * 1024
	assert attachment_problem("boss.pdf", limit, PDF_HEAD) is None
	assert "larger than" in attachment_problem("boss.pdf", limit + 1, PDF_HEAD)
	assert "empty" in attachment_problem("boss.pdf", 0, b"")
	assert attachment_problem("note.txt", 1, b"x") is None  # one byte is not empty
