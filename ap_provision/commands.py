"""Bench commands shipped by the app (bench discovers the `commands` list)."""

import click
from frappe.commands import get_site, pass_context


@click.command("ap-demo")
@click.option("--seed", default=7, show_default=True, help="Random seed: the same seed builds the same LA.")
@pass_context
def ap_demo(context, seed):
	"""Build the alternative provision demo LA on a fresh site (refuses a site with data)."""
	import frappe

	from ap_provision.demo import make_demo

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		frappe.set_user("Administrator")
		made = make_demo(seed=seed)
		click.echo("Demo data built: " + ", ".join(f"{n} {doctype}" for doctype, n in made.items()))
	finally:
		frappe.destroy()


commands = [ap_demo]
