"""Security of ap_provision: the permission matrix (one declaration, checked against the
doctype JSON and against a running site), and the bench-tier security suite."""
