"""Call one function of the app on a site, with JSON keyword arguments (benchmarks/run.sh).

Unlike `bench execute`, an error is shown as it is, and the transaction is committed only
when the function returns.
"""

import json
import os
import sys

import frappe

site, method = sys.argv[1], sys.argv[2]
kwargs = json.loads(sys.argv[3]) if len(sys.argv) > 3 else {}
os.chdir("sites")  # as bench runs: from the sites folder
frappe.init(site=site, sites_path=".")
frappe.connect()
try:
	frappe.set_user("Administrator")
	result = frappe.get_attr(method)(**kwargs)
	frappe.db.commit()
	if result is not None:
		print(result if isinstance(result, str) else json.dumps(result, default=str))
finally:
	frappe.destroy()
