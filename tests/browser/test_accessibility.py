"""Accessibility of every public page type: axe-core (WCAG 2.1 A and AA rules) in Chromium
finds no serious or critical violation, and the keyboard reaches the content first."""

import pytest

from tests.browser.conftest import AXE_JS, public_pages

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # The live server's request threads close the shared in-memory SQLite connection on
    # the way out, which Django refuses (harmlessly) from another thread.
    pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning"),
]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  const serious = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + "\\n        " + n.failureSummary.replace(/\\n/g, " ")),
    }));
  return {passes: results.passes.length, serious};
}"""


def serious_violations(page):
    page.add_script_tag(path=str(AXE_JS))
    outcome = page.evaluate(RUN_AXE, WCAG_TAGS)
    assert outcome["passes"] > 0, f"axe 未在 {page.url} 上运行任何检查"
    return outcome["serious"]


def describe(label, url, violations):
    lines = [f"{label}（{url}）："]
    for violation in violations:
        lines.append(f"  [{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.extend(f"      {node}" for node in violation["nodes"])
    return "\n".join(lines)


@pytest.fixture
def axe_page(browser, site):
    # axe is injected as an inline script, which the site's Content-Security-Policy forbids.
    context = browser.new_context(base_url=site.url, locale="zh-CN", bypass_csp=True)
    yield context.new_page()
    context.close()


@pytest.mark.needs_node_modules
def test_public_pages_have_no_serious_accessibility_violations(axe_page):
    page = axe_page
    reports = []
    for label, url in public_pages():
        page.goto(url)
        violations = serious_violations(page)
        if violations:
            reports.append(describe(label, url, violations))
        if label == "公示（进行中）":
            # The objection form, empty and as it comes back with errors (nothing filled in).
            page.goto(url + "objection/")
            violations = serious_violations(page)
            if violations:
                reports.append(describe("异议表单", page.url, violations))
            page.locator("form.objection-form button[type=submit]").click()
            page.wait_for_load_state()
            assert page.locator(".error-summary").count(), "异议表单未显示错误提示"
            violations = serious_violations(page)
            if violations:
                reports.append(describe("异议表单（有错误）", page.url, violations))
    assert not reports, "axe 发现严重的无障碍问题：\n" + "\n".join(reports)


def test_first_tab_reaches_the_skip_link_which_moves_focus_to_the_content(page):
    page.goto("/policy/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("element => element === document.activeElement")
    box = skip.bounding_box()
    assert box and box["width"] > 1 and box["height"] > 1, "获得焦点的“跳到正文”链接不可见"
    assert box["y"] >= 0 and box["x"] >= 0
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    assert page.evaluate("document.activeElement.id") == "main"
