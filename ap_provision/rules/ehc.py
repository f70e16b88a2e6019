"""Evidence for pupils with an Education, Health and Care (EHC) plan (R7, R8, R9, R11).

The seed has two checklists: "Intervention Placement (KS1-3) referrals for pupils with EHC
plan" and "KS4 Alternative Pathway referrals for pupils with EHC plan". QUESTIONS holds every
question of both, split into answerable fields; the EHC Assessment doctype is generated from it.
Outside professional advice is a child table (`Advice` rows), checked by `advice_problem`.
"""

import calendar
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ap_provision.rules._i18n import _, english_date

PATHWAYS = ("KS1-3", "KS4")
KS1_3, KS4 = PATHWAYS
BOTH = PATHWAYS

PLACEMENT_WEEKS = 16
RESOURCES_WINDOW_MONTHS = 6
KS4_RESOURCE_WINDOW_MONTHS = 24
ADVICE_WINDOW_MONTHS = 12
ADVICE_WARN_MONTHS = 6

# Blank first so a new form starts unanswered: Frappe defaults a Select to its first option.
YES_NO = "\nYes\nNo"

FIELDTYPES = ("Small Text", "Select", "Date", "Int", "Check")

ADVICE_AGENCIES: tuple[str, ...] = (
	"Working Together Team",
	"BOSS",
	"PRT",
	"Healthy Minds",
	"MHST",
	"CAMHS",
	"SALT",
	"Educational Psychologist",
	"Specialist Teaching Team",
	"Ask SALL",
	"Other",
)

_CONDITION = re.compile(r"^eval:doc\.([a-z][a-z0-9_]*)\s*==\s*'([^']*)'$")


@dataclass(frozen=True)
class Question:
	"""One answerable field of the EHC checklists.

	`depends_on` uses Frappe's syntax, limited to "eval:doc.<fieldname>=='<value>'", so the
	doctype can use it as both `depends_on` and `mandatory_depends_on`.
	"""

	fieldname: str
	label: str
	fieldtype: str
	pathways: tuple[str, ...]
	depends_on: str | None = None
	options: str | None = None
	# Answered when it applies; not counted as missing when blank (e.g. a date of something
	# that may not have happened yet).
	required: bool = True

	@property
	def condition(self) -> tuple[str, str] | None:
		"""(fieldname, value) this question depends on, or None when always asked."""
		if self.depends_on is None:
			return None
		match = _CONDITION.match(self.depends_on)
		if match is None:
			raise ValueError(f"{self.fieldname}: unsupported depends_on {self.depends_on!r}")
		return match.group(1), match.group(2)


def _when_yes(fieldname: str) -> str:
	"""Frappe depends_on expression: shown and required when `fieldname` is "Yes"."""
	return f"eval:doc.{fieldname}=='Yes'"


QUESTIONS: tuple[Question, ...] = (
	# How long has the pupil had an EHC plan? (both)
	Question("ehc_plan_since", "Date the EHC plan was first issued", "Date", BOTH),
	# Annual review and the SEND caseworker. The seed asks KS1-3 whether a review was held *or*
	# robust discussions took place, and KS4 whether a review was held *with* robust discussions:
	# two questions. KS1-3: a review due during the 16-week placement must be held first (R7).
	Question(
		"annual_review_held",
		"Has an annual review been held, or have robust discussions taken place with the pupil's "
		"SEND caseworker?",
		"Select",
		(KS1_3,),
		options=YES_NO,
	),
	Question(
		"annual_review_held_ks4",
		"Has an annual review been held, with robust discussions with the pupil's SEND caseworker?",
		"Select",
		(KS4,),
		options=YES_NO,
	),
	Question(
		"last_annual_review_date",
		"Date of the most recent annual review, if one has been held",
		"Date",
		BOTH,
		required=False,
	),
	Question(
		"annual_review_summary",
		"Outcome of the annual review and of discussions with the SEND caseworker",
		"Small Text",
		BOTH,
	),
	Question("next_annual_review_due", "Date the next annual review is due", "Date", (KS1_3,)),
	# KS1-3: additional resources or changes in provision requested or likely in 6 months (R8).
	Question(
		"resources_likely_next_6_months",
		"Are additional resources or changes in provision being requested, or likely to be "
		"requested, in the next 6 months?",
		"Select",
		(KS1_3,),
		options=YES_NO,
	),
	Question(
		"caseworker_discussion_date",
		"Date of the discussion with the SEND caseworker about resources",
		"Date",
		(KS1_3,),
		depends_on=_when_yes("resources_likely_next_6_months"),
	),
	Question(
		"caseworker_discussion_notes",
		"What was agreed with the SEND caseworker, and which SEND processes are being followed",
		"Small Text",
		(KS1_3,),
		depends_on=_when_yes("resources_likely_next_6_months"),
	),
	# KS4: pupil's views, awareness of the impact on GCSEs and aspirations (R11).
	Question(
		"pupil_views",
		"The pupil's views on an alternative provision placement",
		"Small Text",
		(KS4,),
	),
	Question(
		"pupil_aware_of_impact",
		"Is the pupil fully aware of what an alternative provision placement is and its possible "
		"impact on their future aspirations (for example, taking the full range of GCSEs)?",
		"Select",
		(KS4,),
		options=YES_NO,
	),
	# KS4: resources requested in the last 24 months, outcome, advice followed (R11).
	Question(
		"resources_requested_last_24_months",
		"Have additional resources or changes in provision been requested in the last 24 months?",
		"Select",
		(KS4,),
		options=YES_NO,
	),
	Question(
		"resources_request_outcome",
		"Outcome of the request for additional resources or changes in provision",
		"Small Text",
		(KS4,),
		depends_on=_when_yes("resources_requested_last_24_months"),
	),
	Question(
		"resources_request_date",
		"Date of the most recent request",
		"Date",
		(KS4,),
		depends_on=_when_yes("resources_requested_last_24_months"),
	),
	Question(
		"request_advice_followed",
		"Has all advice following the outcome of the request been followed?",
		"Select",
		(KS4,),
		depends_on=_when_yes("resources_requested_last_24_months"),
		options=YES_NO,
	),
	# Change to needs in section B (both).
	Question(
		"section_b_needs_changed",
		"Have the needs in section B of the EHC plan changed?",
		"Select",
		BOTH,
		options=YES_NO,
	),
	Question(
		"section_b_changes",
		"How the needs in section B have changed",
		"Small Text",
		BOTH,
		depends_on=_when_yes("section_b_needs_changed"),
	),
	# Difficulties linked to needs or diagnosis (both); impact of moving settings.
	Question(
		"difficulties_linked_to_needs",
		"How the pupil's difficulties are linked to their identified needs or diagnosis",
		"Small Text",
		BOTH,
	),
	Question(
		"impact_of_moving_settings_16_weeks",
		"Impact of moving between settings within a short 16-week placement: has it been "
		"considered, and will the pupil manage it or will it add to their difficulties?",
		"Small Text",
		(KS1_3,),
	),
	Question(
		"impact_of_moving_settings",
		"Impact of moving between settings: has it been considered, and will the pupil manage it "
		"or will it add to their difficulties?",
		"Small Text",
		(KS4,),
	),
	# KS4: full potential, qualifications, preparation for adulthood (R11).
	Question(
		"potential_and_qualifications",
		"Will the pupil be able to reach their full potential at the alternative provision, "
		"including the GCSEs or qualifications they need for their future aspirations?",
		"Small Text",
		(KS4,),
	),
	Question(
		"preparation_for_adulthood",
		"How the alternative provision will help prepare the pupil for adulthood and moving on to "
		"further education",
		"Small Text",
		(KS4,),
	),
	# Section F provision consistently implemented (both).
	Question(
		"section_f_implemented",
		"Since the EHC plan was finalised, has all provision in section F been consistently " "implemented?",
		"Select",
		BOTH,
		options=YES_NO,
	),
	Question(
		"section_f_implementation",
		"How the section F provision has been implemented, and any gaps",
		"Small Text",
		BOTH,
	),
	# SEND graduated approach: KS1-3 "has the SEND graduated approach been followed?"; KS4 "have
	# robust cycles of assess, plan, do, review (SEND graduated approach) been followed?".
	Question(
		"graduated_approach_followed",
		"Has the SEND graduated approach been followed?",
		"Select",
		(KS1_3,),
		options=YES_NO,
	),
	Question(
		"graduated_approach_followed_ks4",
		"Have robust cycles of assess, plan, do, review (SEND graduated approach) been followed?",
		"Select",
		(KS4,),
		options=YES_NO,
	),
	Question(
		"graduated_approach_evidence",
		"Evidence of how the SEND graduated approach (assess, plan, do, review) has been followed",
		"Small Text",
		BOTH,
	),
	# Section F reviewed and adapted: KS1-3 "different strategies introduced", KS4 "different
	# strategies being followed"; both "previous strategies revisited".
	Question(
		"section_f_reviewed",
		"Has the provision in section F been reviewed and adapted, with different strategies "
		"introduced and previous strategies revisited?",
		"Select",
		(KS1_3,),
		options=YES_NO,
	),
	Question(
		"section_f_reviewed_ks4",
		"Has the provision in section F been reviewed and adapted, with different strategies being "
		"followed and previous strategies revisited?",
		"Select",
		(KS4,),
		options=YES_NO,
	),
	Question(
		"strategies_tried",
		"Different strategies introduced or followed, and previous strategies revisited",
		"Small Text",
		BOTH,
	),
	# Reasonable adjustments, inflexible behaviour policy (both, the same words).
	Question(
		"reasonable_adjustments_made",
		"Have reasonable adjustments been made to ensure that the pupil can thrive and is not "
		"inadvertently discriminated through the application of an inflexible behaviour policy?",
		"Select",
		BOTH,
		options=YES_NO,
	),
	Question(
		"reasonable_adjustments",
		"Reasonable adjustments made, including to how the behaviour policy is applied",
		"Small Text",
		BOTH,
	),
	# Hoped-for outcome: KS1-3 after 16 weeks and working with the AP; KS4 of the placement.
	Question(
		"hoped_for_outcome_16_weeks",
		"Hoped-for outcome after the 16-week placement",
		"Small Text",
		(KS1_3,),
	),
	Question(
		"working_with_ap",
		"How the school will work with the alternative provision to achieve this during the placement",
		"Small Text",
		(KS1_3,),
	),
	Question("hoped_for_outcome", "Hoped-for outcome of the placement", "Small Text", (KS4,)),
	# KS1-3: reintegration; can the school continue to meet needs?
	Question(
		"can_continue_to_meet_needs",
		"After the placement the pupil returns to your school. Will you be able to continue to meet "
		"their needs?",
		"Select",
		(KS1_3,),
		options=YES_NO,
	),
	Question(
		"reintegration_plan",
		"How the school will meet the pupil's needs when they return",
		"Small Text",
		(KS1_3,),
	),
)


@dataclass(frozen=True)
class Advice:
	"""A row of outside professional advice (R9)."""

	agency: str
	advice_date: date | None
	implemented: bool
	reviewed: bool


def pathway_for(key_stage: str) -> str:
	"""EHC checklist for a key stage: KS1-KS3 -> "KS1-3", KS4 -> "KS4" (R11)."""
	if key_stage in ("KS1", "KS2", "KS3"):
		return KS1_3
	if key_stage == "KS4":
		return KS4
	raise ValueError(f"No EHC pathway for key stage {key_stage!r}; expected KS1-KS4")


def questions_for(pathway: str) -> list[Question]:
	"""The questions of one pathway's checklist, in form order."""
	_check_pathway(pathway)
	return [question for question in QUESTIONS if pathway in question.pathways]


def missing_items(pathway: str, answers: Mapping[str, object]) -> list[str]:
	"""Labels of the pathway's questions still unanswered (R7-R11).

	Checks always count as answered; a conditional question counts only when its condition
	holds (e.g. the caseworker discussion date when resources are likely).
	"""
	missing = []
	for question in questions_for(pathway):
		if question.fieldtype == "Check" or not question.required or not _asked(question, answers):
			continue
		if _blank(answers.get(question.fieldname)):
			missing.append(_(question.label))
	return missing


def completeness(
	pathway: str, answers: Mapping[str, object], advice_rows: Sequence[object]
) -> tuple[int, int]:
	"""(answered, required) for the pathway, counting "some outside advice" as one item (R9).

	`advice_rows` are `Advice` objects, child-table rows or dicts with `agency` and
	`advice_date`.
	"""
	required = sum(
		1
		for question in questions_for(pathway)
		if question.fieldtype != "Check" and question.required and _asked(question, answers)
	)
	answered = required - len(missing_items(pathway, answers))
	has_advice = any(
		not _blank(_value(row, "agency")) and not _blank(_value(row, "advice_date")) for row in advice_rows
	)
	return answered + int(has_advice), required + 1


def annual_review_problem(
	next_review_due: date | None,
	panel_date: date,
	weeks: int = PLACEMENT_WEEKS,
	placement_end: date | None = None,
) -> str | None:
	"""Block a KS1-3 referral while an annual review is due before or during the placement (R7).

	The window runs from the panel date to the placement's planned end (`placement_end`: the
	end of a placement from its expected start, which a term-time placement pushes later), or
	without it to `weeks` weeks after the panel; both days included. A review due before the
	panel is overdue. The caller applies this to KS1-3 pupils only.
	"""
	if next_review_due is None:
		return _(
			"Enter the date the pupil's next EHC plan annual review is due, so the panel can check it "
			"does not fall during the placement."
		)
	window_end = placement_end or panel_date + timedelta(weeks=weeks)
	if next_review_due < panel_date:
		return _(
			"The pupil's EHC plan annual review was due on {0}, before the panel on {1}, and is overdue. "
			"Hold the annual review and record its date (and the next due date) before submitting this "
			"referral."
		).format(english_date(next_review_due), english_date(panel_date))
	if next_review_due <= window_end:
		return _(
			"The pupil's EHC plan annual review is due on {0}, during the {1}-week placement ({2} to {3}). "
			"Statutory timescales must be met: hold the annual review and record its date before "
			"submitting this referral."
		).format(english_date(next_review_due), weeks, english_date(panel_date), english_date(window_end))
	return None


def resources_discussion_problem(
	resources_likely: str | None,
	discussion_date: date | None,
	discussion_notes: str | None,
	today: date | None = None,
	window_months: int = RESOURCES_WINDOW_MONTHS,
) -> str | None:
	"""When resources are requested or likely in the next `window_months` months (6 in the
	seed), the caseworker discussion is recorded (R8).

	An unanswered `resources_likely` is reported by `missing_items`, not here. With `today`, a
	discussion dated in the future is refused, and so is one older than the window: a
	discussion about the coming `window_months` months is held within the last ones.
	"""
	if _blank(resources_likely) or resources_likely == "No":
		return None
	if resources_likely != "Yes":
		raise ValueError(f"resources_likely must be 'Yes' or 'No', not {resources_likely!r}")

	if discussion_date is None or _blank(discussion_notes):
		if discussion_date is None and _blank(discussion_notes):
			record = _(
				"the date of the discussion and what was agreed, including the SEND processes being followed"
			)
		elif discussion_date is None:
			record = _("the date of the discussion")
		else:
			record = _("what was agreed, including the SEND processes being followed")
		return _(
			"Additional resources or changes in provision are being requested or are likely in the "
			"next {0} months, so this must be discussed with the pupil's SEND caseworker. Record {1}."
		).format(window_months, record)
	if today is not None and discussion_date is not None and discussion_date > today:
		return _(
			"The discussion with the SEND caseworker is dated {0}, which is in the future. Record the "
			"discussion once it has taken place."
		).format(english_date(discussion_date))
	if (
		today is not None
		and discussion_date is not None
		and discussion_date < months_before(today, window_months)
	):
		return _(
			"The discussion with the SEND caseworker is dated {0}, more than {1} months ago. Resources "
			"likely in the next {1} months need a discussion held since {2}: record it."
		).format(
			english_date(discussion_date), window_months, english_date(months_before(today, window_months))
		)
	return None


def ks4_resources_request_problem(
	requested: str | None,
	request_date: date | None,
	today: date,
	window_months: int = KS4_RESOURCE_WINDOW_MONTHS,
) -> str | None:
	"""KS4 (R11): "have additional resources or change in provision been requested in the last
	24 months?" A "Yes" names a request inside the window, not in the future."""
	if requested != "Yes" or request_date is None:
		return None
	if request_date > today:
		return _("The request for resources is dated {0}, which is in the future.").format(
			english_date(request_date)
		)
	if request_date < months_before(today, window_months):
		return _(
			"The most recent request for resources ({0}) was more than {1} months ago: answer No to the "
			"question about requests in the last {1} months, or give the date of a later request."
		).format(english_date(request_date), window_months)
	return None


def annual_review_dates_problem(last_review: date | None, next_due: date | None) -> str | None:
	"""Statutory timescales: an EHC plan is reviewed at least every 12 months, so the next annual
	review is due after the last one and no later than 12 months after it (R7, R10)."""
	if last_review is None or next_due is None:
		return None
	latest = months_after(last_review, 12)
	if next_due <= last_review:
		return _("The next annual review ({0}) must come after the last one ({1}): it is due by {2}.").format(
			english_date(next_due), english_date(last_review), english_date(latest)
		)
	if next_due > latest:
		return _(
			"The next annual review is due by {0}, 12 months after the last one ({1}); {2} is later than "
			"the statutory timescale allows."
		).format(english_date(latest), english_date(last_review), english_date(next_due))
	return None


# Answers the panel must see (shown on the referral and the panel papers): (fieldname, the
# answer that needs attention, what it means).
PANEL_FLAGS: tuple[tuple[str, str, str], ...] = (
	(
		"can_continue_to_meet_needs",
		"No",
		"The school says it will not be able to continue to meet the pupil's needs when they return "
		"after the placement.",
	),
	(
		"section_f_implemented",
		"No",
		"The provision in section F of the EHC plan has not been consistently implemented.",
	),
	("graduated_approach_followed", "No", "The SEND graduated approach has not been followed."),
	(
		"graduated_approach_followed_ks4",
		"No",
		"Robust cycles of assess, plan, do, review have not been followed.",
	),
	("section_f_reviewed", "No", "The section F provision has not been reviewed and adapted."),
	("section_f_reviewed_ks4", "No", "The section F provision has not been reviewed and adapted."),
	(
		"reasonable_adjustments_made",
		"No",
		"Reasonable adjustments have not been made to the application of the behaviour policy.",
	),
	(
		"pupil_aware_of_impact",
		"No",
		"The pupil is not fully aware of what an AP placement is or its possible impact on their "
		"aspirations.",
	),
	(
		"request_advice_followed",
		"No",
		"Advice following the outcome of a resources request has not been followed.",
	),
	("section_b_needs_changed", "Yes", "The needs in section B of the EHC plan have changed."),
)


def panel_flags(pathway: str, answers: Mapping[str, object]) -> list[str]:
	"""The answers of the pathway's checklist the panel must see, as sentences."""
	asked = {question.fieldname: question for question in questions_for(pathway)}
	flags = []
	for fieldname, answer, meaning in PANEL_FLAGS:
		question = asked.get(fieldname)
		if question is None or not _asked(question, answers):
			continue
		value = answers.get(fieldname)
		if isinstance(value, str) and value.strip() == answer:
			flags.append(_(meaning))
	return flags


def advice_problem(
	advice: Sequence[Advice], today: date, window_months: int = ADVICE_WINDOW_MONTHS
) -> str | None:
	"""At least one piece of outside advice dated in the last `window_months` months (R9).

	Every row needs an agency and a date, not in the future. "Within 12 months" counts whole
	calendar months back from `today`, that day included.
	"""
	if not advice:
		return _(
			"Add at least one piece of outside professional advice from the last {0} months (for example "
			"from BOSS, CAMHS, SALT or an educational psychologist), saying whether it was implemented "
			"and reviewed."
		).format(window_months)

	row_problems = []
	for number, row in enumerate(advice, start=1):
		if _blank(row.agency):
			row_problems.append(
				_("Outside advice row {0}: choose the agency that gave the advice.").format(number)
			)
		if row.advice_date is None:
			row_problems.append(_("Outside advice row {0}: enter the date of the advice.").format(number))
		elif row.advice_date > today:
			row_problems.append(
				_(
					"Outside advice row {0}: the date {1} is in the future; enter the date the advice was given."
				).format(number, english_date(row.advice_date))
			)
	if row_problems:
		return " ".join(row_problems)

	cutoff = months_before(today, window_months)
	if _newest_in_window(advice, today, window_months) is None:
		newest = max(row.advice_date for row in advice if row.advice_date is not None)
		return _(
			"The most recent outside professional advice is dated {0}, more than {1} months ago. Seek "
			"up-to-date advice and add it (dated {2} or later) before submitting."
		).format(english_date(newest), window_months, english_date(cutoff))
	return None


def advice_warning(
	advice: Sequence[Advice],
	today: date,
	warn_months: int = ADVICE_WARN_MONTHS,
	window_months: int = ADVICE_WINDOW_MONTHS,
) -> str | None:
	"""Warn when the newest in-window outside advice is older than `warn_months` months (R9)."""
	newest = _newest_in_window(advice, today, window_months)
	if newest is None or newest.advice_date >= months_before(today, warn_months):
		return None
	return _(
		"The most recent outside professional advice ({0}, {1}) is more than {2} months old. Check it "
		"still reflects the pupil's needs, or seek newer advice."
	).format(newest.agency, english_date(newest.advice_date), warn_months)


def months_before(day: date, months: int) -> date:
	"""The same day `months` calendar months earlier, clamped to the month's last day.

	29 February 2028 minus 12 months is 28 February 2027; 31 May minus 3 months is 28/29 February.
	"""
	if months < 0:
		raise ValueError(f"months must not be negative, not {months!r}")
	index = day.year * 12 + (day.month - 1) - months
	year, month = divmod(index, 12)
	month += 1
	return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_after(day: date, months: int) -> date:
	"""The same day `months` calendar months later, clamped to the month's last day
	(29 February 2028 plus 12 months is 28 February 2029)."""
	if months < 0:
		raise ValueError(f"months must not be negative, not {months!r}")
	index = day.year * 12 + (day.month - 1) + months
	year, month = divmod(index, 12)
	month += 1
	return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _newest_in_window(advice: Sequence[Advice], today: date, window_months: int) -> Advice | None:
	"""The most recent advice dated between `window_months` months ago and today."""
	cutoff = months_before(today, window_months)
	in_window = [row for row in advice if row.advice_date is not None and cutoff <= row.advice_date <= today]
	return max(in_window, key=lambda row: row.advice_date, default=None)


def _check_pathway(pathway: str) -> None:
	if pathway not in PATHWAYS:
		raise ValueError(f"Unknown EHC pathway {pathway!r}; expected one of {PATHWAYS}")


def _asked(question: Question, answers: Mapping[str, object]) -> bool:
	"""True when the question applies, given the answers it depends on."""
	condition = question.condition
	if condition is None:
		return True
	fieldname, value = condition
	answer = answers.get(fieldname)
	if isinstance(answer, str):
		answer = answer.strip()
	return answer == value


def _blank(value: object) -> bool:
	"""None, an empty string or whitespace."""
	return value is None or (isinstance(value, str) and not value.strip())


def _value(row: object, key: str) -> object:
	"""A field of an advice row given as a dataclass, Frappe child row or dict."""
	if isinstance(row, Mapping):
		return row.get(key)
	return getattr(row, key, None)


def _validate_questions() -> None:
	"""Catch definition mistakes at import, before a doctype is generated from them."""
	reserved = {
		"name",
		"owner",
		"creation",
		"modified",
		"modified_by",
		"docstatus",
		"idx",
		"parent",
		"parentfield",
		"parenttype",
		"doctype",
		"_user_tags",
		"_comments",
		"_assign",
		"_liked_by",
		"_seen",
	}
	seen: set[str] = set()
	for question in QUESTIONS:
		if question.fieldname in seen:
			raise ValueError(f"Duplicate EHC question {question.fieldname}")
		seen.add(question.fieldname)
		if not re.fullmatch(r"[a-z][a-z0-9_]{0,39}", question.fieldname) or question.fieldname in reserved:
			raise ValueError(f"Bad EHC question fieldname {question.fieldname!r}")
		if question.fieldtype not in FIELDTYPES:
			raise ValueError(f"{question.fieldname}: unknown fieldtype {question.fieldtype!r}")
		if (question.fieldtype == "Select") != (question.options is not None):
			raise ValueError(f"{question.fieldname}: options go with Select fields only")
		if not question.pathways or set(question.pathways) - set(PATHWAYS):
			raise ValueError(f"{question.fieldname}: bad pathways {question.pathways!r}")
		if question.condition is not None:
			fieldname = question.condition[0]
			parent = next((q for q in QUESTIONS if q.fieldname == fieldname and q.fieldname in seen), None)
			if parent is None or set(question.pathways) - set(parent.pathways):
				raise ValueError(f"{question.fieldname} must depend on an earlier question of its pathways")


_validate_questions()
