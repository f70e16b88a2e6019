# Standard notification: the message is in the .html file beside this one.
"""Sent for each referral still to be submitted (Draft or More Information Requested), to
its referrer, two days before a panel's referral deadline: the daily job
``ap_provision.notifications.remind_panel_deadlines`` runs the referral's
``remind_of_panel_deadline`` method, which is this notification's event."""

from ap_provision.notifications import next_open_panel


def get_context(context):
	return {"next_panel": next_open_panel()}
