// Every website page of the AP service (hooks.py web_include_js).
//
// 1. The "Skip to main content" link (portal_nav.update_website_context) needs a target on pages the
//    app does not render itself (web forms, /me, /login): their <main> element.
// 2. Frappe's form controls (web forms) draw a <label> that is not tied to its field, so a screen
//    reader announces a field without its name (WCAG 1.3.1, 4.1.2): each label is tied to its field
//    with for/id, the field's help text with aria-describedby, and a required field is marked
//    aria-required. The Attach button takes its field's name ("Attach BOSS report").
// 3. Frappe's links that act as buttons without an href (Clear an attachment) cannot be reached by
//    keyboard (2.1.1): they are given the button role and a place in the tab order.
// 4. The checkboxes of a table field's rows are named ("Select row 1", "Select all rows").
// 5. The logo above the sign-in form, which has no alt text, is marked decorative (1.1.1): the
//    heading beside it names the page.
// Controls are drawn by script after the page loads, so new ones are fixed as they appear.
(function () {
	let counter = 0;

	function ready(fn) {
		if (document.readyState !== "loading") {
			fn();
		} else {
			document.addEventListener("DOMContentLoaded", fn);
		}
	}

	function skip_target() {
		if (!document.getElementById("main-content")) {
			const main = document.querySelector("main") || document.querySelector(".page-content-wrapper");
			if (main) {
				main.id = "main-content";
				main.setAttribute("tabindex", "-1");
			}
		}
	}

	function field_of(control) {
		return control.querySelector(
			".control-input input:not([type=hidden]), .control-input textarea, .control-input select, .control-input button.btn-attach"
		);
	}

	function label_controls(root) {
		root.querySelectorAll(".frappe-control").forEach((control) => {
			const label = control.querySelector("label.control-label");
			const field = field_of(control);
			if (!label || !field) {
				return;
			}
			const text = label.textContent.trim();
			if (!text) {
				return;
			}
			if (field.tagName === "BUTTON") {
				field.setAttribute("aria-label", `${field.textContent.trim()} ${text}`);
			} else {
				if (!field.id) {
					counter += 1;
					field.id = `ap-field-${control.dataset.fieldname || "x"}-${counter}`;
				}
				label.setAttribute("for", field.id);
			}
			const help = control.querySelector(".help-box");
			if (help && help.textContent.trim()) {
				if (!help.id) {
					counter += 1;
					help.id = `ap-help-${counter}`;
				}
				field.setAttribute("aria-describedby", help.id);
			} else {
				field.removeAttribute("aria-describedby");
			}
			if (label.classList.contains("reqd")) {
				field.setAttribute("aria-required", "true");
			}
		});
	}

	function keyboard_buttons(root) {
		root.querySelectorAll("a[data-action]:not([href]), a.btn:not([href])").forEach((link) => {
			if (link.getAttribute("tabindex") === null) {
				link.setAttribute("role", "button");
				link.setAttribute("tabindex", "0");
				link.addEventListener("keydown", (event) => {
					if (event.key === "Enter" || event.key === " ") {
						event.preventDefault();
						link.click();
					}
				});
			}
		});
	}

	// The grid's row checkboxes (select rows to delete) have no name.
	function label_grid_checks(root) {
		root.querySelectorAll(".form-grid .grid-row-check:not([aria-label])").forEach((check) => {
			const row = check.closest(".grid-row");
			const heading = check.closest(".grid-heading-row");
			const index = row && row.querySelector(".row-index span");
			check.setAttribute(
				"aria-label",
				heading
					? __("Select all rows")
					: __("Select row {0}", [index ? index.textContent.trim() : ""])
			);
		});
	}

	// The logo above the sign-in form has no text alternative; the heading beside it says the same.
	function decorative_logos(root) {
		root.querySelectorAll(".page-card-head img:not([alt])").forEach((img) => img.setAttribute("alt", ""));
	}

	function fix(root) {
		decorative_logos(root);
		label_controls(root);
		keyboard_buttons(root);
		label_grid_checks(root);
	}

	ready(function () {
		skip_target();
		fix(document);
		let pending = false;
		new MutationObserver(() => {
			if (!pending) {
				pending = true;
				window.requestAnimationFrame(() => {
					pending = false;
					fix(document);
				});
			}
		}).observe(document.body, { childList: true, subtree: true });
	});
})();
