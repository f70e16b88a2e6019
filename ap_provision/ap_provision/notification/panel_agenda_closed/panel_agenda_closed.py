# Standard notification: the message is in the .html file beside this one.


def get_context(context):
	pass
