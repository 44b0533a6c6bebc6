"""Every template's one-line blocks hold what they are for: a page title is text, breadcrumbs
end where they begin. An edit that pastes page content into them shows as markup in the
browser's title bar or as the content twice."""

from __future__ import annotations

import re
from pathlib import Path

import practicehub

TEMPLATES = sorted(Path(practicehub.__file__).parent.glob("*/templates/**/*.html"))
BLOCK = re.compile(r"{%\s*block\s+(title|breadcrumbs)\s*%}(.*?){%\s*endblock", re.S)


def test_titles_are_text_and_breadcrumbs_hold_no_headings() -> None:
    assert len(TEMPLATES) > 50
    wrong = []
    for path in TEMPLATES:
        for name, body in BLOCK.findall(path.read_text(encoding="utf-8")):
            if (name == "title" and "<" in body) or (name == "breadcrumbs" and "<h" in body):
                wrong.append(f"{path.relative_to(path.parents[3])}: block {name}")
    assert wrong == []


def test_no_template_repeats_an_element_id() -> None:
    """A literal id given twice in one template is either a duplicated block or two fields
    that labels cannot tell apart."""
    repeated = []
    for path in TEMPLATES:
        text = re.sub(r"{%\s*(if|for|elif|else).*?%}", "", path.read_text(encoding="utf-8"))
        ids = re.findall(r'\bid="([^"{]+)"', text)
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            repeated.append(f"{path.relative_to(path.parents[3])}: {twice}")
    assert repeated == []
