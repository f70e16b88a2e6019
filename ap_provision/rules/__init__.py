"""Domain rules of step four (alternative provision) as plain Python.

Each module here turns one part of the service's policy (rules R1-R13, written out with
the statutory guidance they come from in `docs/policy.md`) into small functions: values in, a decision or a
user-facing message out. Nothing here touches the database or needs Frappe (apart from the
translation shim in `_i18n.py`), so the rules are tested without a bench and read as the
service's policy: `academic` (year groups and key stages, R3), `deadlines` (panel deadlines
and allocation, R1), `evidence` (BOSS report or specialist advice, R2), `upn` (Unique Pupil
Numbers), `ehc` (EHC plan checklists, annual reviews, resources and outside advice, R7-R11)
and `funding` (KS4 EHC funding, R12). Controllers call these and turn messages into
`frappe.throw` or `frappe.msgprint`.
"""
