"""What every screen is checked for on a phone (tests/browser/test_every_screen.py walks
them all; other browser tests check the screens only their story reaches): tap targets
of at least 44x44 px, no sideways scrolling, no emoji or pictograph characters.

Inline links inside a sentence are exempt from the size rule (as in WCAG 2.5.8); so are
elements that are not shown. A checkbox or radio counts by its label, which is what a
thumb actually hits.
"""

from __future__ import annotations

from playwright.sync_api import Page

from tests.web.test_icons import PICTOGRAPH_JS

MIN_TAP_PX = 44

# Runs in the page: every visible control smaller than the minimum, described.
SMALL_TARGETS = """(minimum) => {
  const controls = document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]');
  const small = [];
  for (const element of controls) {
    if (element.closest('[hidden], .visually-hidden, .skip-link')) continue;
    let box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    if (box.width === 0 || box.height === 0 || style.visibility === 'hidden') continue;
    if (element.matches('input[type=checkbox], input[type=radio]')) {
      const label = element.closest('label')
        || document.querySelector(`label[for="${element.id}"]`);
      if (label) box = label.getBoundingClientRect();
    }
    // A link inside running text is sized by the text around it.
    if (element.tagName === 'A' && style.display === 'inline') {
      const block = element.parentElement.closest('p, li, dd, td, blockquote, span');
      const text = block ? block.textContent.replace(element.textContent, '').trim() : '';
      if (text.length > 0) continue;
    }
    if (box.width < minimum - 0.5 || box.height < minimum - 0.5) {
      const name = (element.getAttribute('aria-label') || element.textContent || element.name
        || element.type || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
      const size = `${Math.round(box.width)}x${Math.round(box.height)}`;
      small.push(`${element.tagName.toLowerCase()} "${name}" ${size}`);
    }
  }
  return small;
}"""

OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"

# Runs in the page: pictograph characters in what the page shows or announces.
PICTOGRAPHS = """(pattern) => {
  const texts = [document.title, document.body.innerText];
  for (const element of document.querySelectorAll('body *')) {
    for (const pseudo of ['::before', '::after']) {
      const content = getComputedStyle(element, pseudo).content;
      if (content && content !== 'none' && content !== 'normal') texts.push(content);
    }
    for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
      if (element.hasAttribute(name)) texts.push(element.getAttribute(name));
    }
  }
  return [...new Set(texts.join(' ').match(new RegExp(pattern, 'gu')) || [])];
}"""


def screen_problems(page: Page, where: str) -> list[str]:
    """The page as it stands: small tap targets, pictograph characters, sideways scrolling."""
    small = page.evaluate(SMALL_TARGETS, MIN_TAP_PX)
    problems = [f"{where}: tap target {target}" for target in small]
    problems.extend(
        f"{where}: shows the character {character!r}, not an SVG icon"
        for character in page.evaluate(PICTOGRAPHS, PICTOGRAPH_JS)
    )
    overflow = int(page.evaluate(OVERFLOW))
    if overflow > 0:
        problems.append(f"{where}: scrolls sideways by {overflow} px")
    return problems
