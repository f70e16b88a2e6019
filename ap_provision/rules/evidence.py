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
