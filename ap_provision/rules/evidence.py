"""Evidence a referral needs before it is submitted (R2).

Seed: referrals must be "accompanied by a BOSS report (or equivalent specialist advice)".
Equivalent advice only counts when the referrer says who gave it, so the panel can weigh it.
"""

from ap_provision.rules._i18n import _


def evidence_problem(
	boss_report: str | None, specialist_advice: str | None, advice_source: str | None
) -> str | None:
	"""What is missing from the referral's evidence, or None when it is enough (R2).

	Enough is a BOSS report attached, or a specialist advice document attached with its source
	named (who gave it, their role, and when).
	"""
	if _filled(boss_report):
		return None
	if _filled(specialist_advice):
		if _filled(advice_source):
			return None
		return _(
			"You have attached specialist advice but not said where it came from. Name its source: "
			'who gave the advice, their role and the date (for example "Educational psychologist, '
			'J Smith, 3 March 2026"), or attach a BOSS report instead.'
		)
	if _filled(advice_source):
		return _(
			"You have named the source of specialist advice ({0}) but not attached the advice itself. "
			"Attach the advice document, or attach a BOSS report instead."
		).format(advice_source.strip())
	return _(
		"A referral needs evidence before it can be submitted. Attach a BOSS report, or attach "
		"equivalent specialist advice (for example from an educational psychologist) and name its "
		"source: who gave the advice, their role and the date."
	)


def _filled(value: str | None) -> bool:
	"""True when a form value holds more than whitespace."""
	return bool(value and value.strip())


# -- evidence files -----------------------------------------------------------------------

# What may be uploaded as evidence about a pupil, and how large (MB).
ACCEPTED_EXTENSIONS = (".pdf", ".doc", ".docx", ".odt", ".rtf", ".txt", ".png", ".jpg", ".jpeg")
MAX_ATTACHMENT_MB = 10
# How each accepted type begins on disk (its "magic number"); plain text has none but no NULs.
SIGNATURES = {
	".pdf": (b"%PDF-",),
	".png": (b"\x89PNG\r\n\x1a\n",),
	".jpg": (b"\xff\xd8\xff",),
	".jpeg": (b"\xff\xd8\xff",),
	".doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
	".docx": (b"PK\x03\x04",),
	".odt": (b"PK\x03\x04",),
	".rtf": (b"{\\rtf",),
}
BINARY_SIGNATURES = (
	*sorted({sig for sigs in SIGNATURES.values() for sig in sigs} - {b"{\\rtf"}),
	b"MZ",  # Windows executables
	b"\x7fELF",
)


def extension_of(file_name: str) -> str:
	name = (file_name or "").lower()
	return name[name.rfind(".") :] if "." in name else ""


def attachment_problem(file_name: str, size: int, head: bytes) -> str | None:
	"""Why a stored file cannot be evidence, or None: judged on the file as stored on the server,
	its real size and how its content begins, not on what the browser said about it."""
	extension = extension_of(file_name)
	if extension not in ACCEPTED_EXTENSIONS:
		return _("{0} is not an accepted file type. Upload a PDF, Word document, text file or image.").format(
			file_name
		)
	if size <= 0:
		return _("{0} is empty. Upload the document again.").format(file_name)
	if size > MAX_ATTACHMENT_MB * 1024 * 1024:
		return _("{0} is larger than {1} MB. Upload a smaller file.").format(file_name, MAX_ATTACHMENT_MB)
	if extension == ".txt":
		if b"\x00" in head or head.startswith(BINARY_SIGNATURES):
			return _("{0} is not a text file, whatever its name says. Upload the document again.").format(
				file_name
			)
		return None
	if not head.startswith(SIGNATURES[extension]):
		return _(
			"{0} is not really a {1} file: its content does not match its name. Upload the document again."
		).format(file_name, extension.lstrip(".").upper())
	return None
