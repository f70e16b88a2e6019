"""Legacy setuptools entry point.

Bench and pip build this app from pyproject.toml with flit_core, as Frappe v15 apps do.
This file exists for tools that still look for setup.py; it reads the same metadata.
"""

import re
from pathlib import Path

from setuptools import find_packages, setup

here = Path(__file__).parent
version = re.search(r'__version__ = "([^"]+)"', (here / "ap_provision" / "__init__.py").read_text()).group(1)

setup(
	name="ap_provision",
	version=version,
	description="Alternative provision (step four) for English local authorities",
	packages=find_packages(exclude=["tests", "tests.*"]),
	include_package_data=True,
	zip_safe=False,
	python_requires=">=3.10",
	install_requires=["python-stdnum>=1.19", "holidays>=0.50"],
)
