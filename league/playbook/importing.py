"""Read a playbook from YAML or Markdown. Every problem names the line to fix.

YAML (the same format as seeds/playbook.yaml and the YAML export):

    value_proposition:
      title: Revenue answers in minutes
      body: One sentence or two.
      key_points: [short phrase, another phrase]
    differentiators:
      - {title: ..., body: ..., key_points: [...]}
    insights:
      - {title: ..., body: ..., question: ..., key_points: [...]}
    objections:
      - {title: ..., buyer_says: ..., response: ..., key_points: [...]}

Markdown (the same format as the Markdown export):

    # Playbook                      <- optional, ignored
    ## Value proposition            <- sections: Value proposition, Differentiators,
    ### Revenue answers in minutes      Insights, Objections (singular works too)
    The message, one or more paragraphs.
    - a key point                   <- "- " or "* " lines are key points
    ## Insights
    ### Forecasts miss in week 9
    The insight.
    Question: What happens to your number when ...?
    ## Objections
    ### Already have a tool
    Buyer says: We already use spreadsheets for this.
    Response: The response, one or more paragraphs.

Every item starts with a `### Title` line, except that a value proposition may be
written straight under its section heading (its title is then "Value proposition").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

import yaml

from league.playbook.item_service import ItemInput, PlaybookError, article, clean_item
from league.playbook.models import ItemKind

MAX_IMPORT_BYTES = 256 * 1024
MAX_IMPORT_ITEMS = 200


class PlaybookFormat(StrEnum):
    MARKDOWN = "markdown"
    YAML = "yaml"

    @property
    def label(self) -> str:
        return "Markdown" if self == PlaybookFormat.MARKDOWN else "YAML"


FILE_EXTENSIONS = {
    ".md": PlaybookFormat.MARKDOWN,
    ".markdown": PlaybookFormat.MARKDOWN,
    ".txt": PlaybookFormat.MARKDOWN,
    ".yaml": PlaybookFormat.YAML,
    ".yml": PlaybookFormat.YAML,
}


def format_for_filename(filename: str, chosen: PlaybookFormat) -> PlaybookFormat:
    """A file's extension decides its format; otherwise the person's choice does."""
    for extension, found in FILE_EXTENSIONS.items():
        if filename.lower().endswith(extension):
            return found
    return chosen


def parse_format(raw: str) -> PlaybookFormat:
    try:
        return PlaybookFormat(raw)
    except ValueError:
        raise PlaybookError("Choose a format: Markdown or YAML.") from None


def decode(data: bytes) -> str:
    if len(data) > MAX_IMPORT_BYTES:
        raise PlaybookError("That file is too big for a playbook (256 KB at most).", status=413)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise PlaybookError(
            f"Line {line}: this isn't UTF-8 text. Save the file as UTF-8 text and try again."
        ) from None


def parse_playbook(text: str, chosen: PlaybookFormat) -> list[ItemInput]:
    """Parse and check every item. Raises PlaybookError naming the first wrong line."""
    if not text.strip():
        raise PlaybookError("The playbook is empty. Paste the text or choose a file.")
    items = parse_yaml(text) if chosen == PlaybookFormat.YAML else parse_markdown(text)
    if not items:
        raise PlaybookError("We found no playbook items. See the example below for the format.")
    if len(items) > MAX_IMPORT_ITEMS:
        raise PlaybookError(f"A playbook holds {MAX_IMPORT_ITEMS} items at most.")
    for item in items:
        check_item(item)
    values = [item for item in items if item.kind == ItemKind.VALUE_PROPOSITION]
    if len(values) > 1:
        raise PlaybookError(f"Line {values[1].line}: a playbook has one value proposition.")
    return items


def check_item(item: ItemInput) -> None:
    try:
        clean_item(item)
    except PlaybookError as error:
        raise PlaybookError(f"Line {item.line}: {lower_first(error.message)}") from None


def lower_first(message: str) -> str:
    return message[:1].lower() + message[1:] if message[1:2].islower() else message


# --- YAML -------------------------------------------------------------------------

YAML_SECTIONS = {
    "value_proposition": ItemKind.VALUE_PROPOSITION,
    "differentiators": ItemKind.DIFFERENTIATOR,
    "insights": ItemKind.INSIGHT,
    "objections": ItemKind.OBJECTION,
}
# Field names in the file -> ItemInput attributes, per kind.
YAML_FIELDS = {
    ItemKind.VALUE_PROPOSITION: {"title": "title", "body": "body", "key_points": "key_points"},
    ItemKind.DIFFERENTIATOR: {"title": "title", "body": "body", "key_points": "key_points"},
    ItemKind.INSIGHT: {
        "title": "title",
        "body": "body",
        "question": "question",
        "key_points": "key_points",
    },
    ItemKind.OBJECTION: {
        "title": "title",
        "buyer_says": "prompt",
        "response": "body",
        "key_points": "key_points",
    },
}


def line_of(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


# A playbook nests three levels deep; PyYAML's composer recurses once per level, so a
# file of thousands of brackets would spend seconds exhausting the stack.
MAX_YAML_DEPTH = 20
YAML_OPENERS = (
    yaml.FlowSequenceStartToken,
    yaml.FlowMappingStartToken,
    yaml.BlockSequenceStartToken,
    yaml.BlockMappingStartToken,
)
YAML_CLOSERS = (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken, yaml.BlockEndToken)


def check_yaml_depth(text: str) -> None:
    """Refuse deep nesting from the tokens (a loop, no recursion) before composing."""
    depth = 0
    for token in yaml.scan(text, Loader=yaml.SafeLoader):
        if isinstance(token, YAML_OPENERS):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                line = token.start_mark.line + 1
                raise PlaybookError(f"Line {line}: this YAML nests too deeply to be a playbook.")
        elif isinstance(token, YAML_CLOSERS):
            depth -= 1


def parse_yaml(text: str) -> list[ItemInput]:
    try:
        check_yaml_depth(text)
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        raise PlaybookError(f"Line {line}: this isn't valid YAML ({error.problem}).") from None
    except yaml.YAMLError:
        raise PlaybookError("This isn't valid YAML.") from None
    if root is None:
        return []
    if not isinstance(root, yaml.MappingNode):
        raise PlaybookError(
            f"Line {line_of(root)}: start with a section such as “differentiators:”."
        )
    items: list[ItemInput] = []
    for key_node, value_node in root.value:
        kind = YAML_SECTIONS.get(scalar(key_node))
        if kind is None:
            raise PlaybookError(
                f"Line {line_of(key_node)}: unknown section “{scalar(key_node)}”. Use "
                "value_proposition, differentiators, insights or objections."
            )
        items.extend(parse_yaml_section(kind, value_node))
    return items


def parse_yaml_section(kind: ItemKind, node: yaml.Node) -> list[ItemInput]:
    if is_null(node):
        return []
    if kind == ItemKind.VALUE_PROPOSITION:
        if not isinstance(node, yaml.MappingNode):
            raise PlaybookError(
                f"Line {line_of(node)}: the value proposition is one item with title, body "
                "and key_points."
            )
        return [parse_yaml_item(kind, node)]
    if not isinstance(node, yaml.SequenceNode):
        raise PlaybookError(
            f"Line {line_of(node)}: list each {kind.label.lower()} as an item starting with “- ”."
        )
    return [parse_yaml_item(kind, child) for child in node.value]


def parse_yaml_item(kind: ItemKind, node: yaml.Node) -> ItemInput:
    if not isinstance(node, yaml.MappingNode):
        raise PlaybookError(
            f"Line {line_of(node)}: each {kind.label.lower()} needs fields such as “title:”."
        )
    item = ItemInput(kind=kind, title="", line=line_of(node))
    names = YAML_FIELDS[kind]
    for key_node, value_node in node.value:
        name = scalar(key_node)
        if name not in names:
            raise PlaybookError(
                f"Line {line_of(key_node)}: unknown field “{name}” in {article(kind).lower()} "
                f"{kind.label.lower()}. Use {', '.join(names)}."
            )
        if names[name] == "key_points":
            item.key_points = parse_yaml_key_points(value_node)
        else:
            setattr(item, names[name], yaml_text(value_node, name))
    return item


def parse_yaml_key_points(node: yaml.Node) -> list[str]:
    if is_null(node):
        return []
    if not isinstance(node, yaml.SequenceNode):
        raise PlaybookError(
            f"Line {line_of(node)}: key_points is a list, like [first point, second point]."
        )
    return [yaml_text(child, "a key point") for child in node.value]


def yaml_text(node: yaml.Node, name: str) -> str:
    if is_null(node):
        return ""
    if not isinstance(node, yaml.ScalarNode):
        raise PlaybookError(f"Line {line_of(node)}: “{name}” should be text.")
    return str(node.value)


def scalar(node: yaml.Node) -> str:
    return str(node.value) if isinstance(node, yaml.ScalarNode) else ""


def is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"


# --- Markdown ---------------------------------------------------------------------

MARKDOWN_SECTIONS = {
    "value proposition": ItemKind.VALUE_PROPOSITION,
    "value prop": ItemKind.VALUE_PROPOSITION,
    "differentiators": ItemKind.DIFFERENTIATOR,
    "differentiator": ItemKind.DIFFERENTIATOR,
    "insights": ItemKind.INSIGHT,
    "insight": ItemKind.INSIGHT,
    "objections": ItemKind.OBJECTION,
    "objection": ItemKind.OBJECTION,
}
HEADING = re.compile(r"^(#{1,6})\s*(.*?)\s*#*\s*$")
KEY_POINT = re.compile(r"^[-*•]\s+(.*)$")
LABEL = re.compile(r"^(question|buyer says|response)\s*:\s*(.*)$", re.IGNORECASE)
# Which labelled lines each kind may have, and the field they fill.
LABELS = {
    ItemKind.INSIGHT: {"question": "question"},
    ItemKind.OBJECTION: {"buyer says": "prompt", "response": "body"},
}


@dataclass
class MarkdownItem:
    item: ItemInput
    body_lines: list[str] = field(default_factory=list)

    def finish(self) -> ItemInput:
        self.item.body = "\n".join(self.body_lines).strip()
        return self.item


@dataclass
class MarkdownReader:
    kind: ItemKind | None = None
    current: MarkdownItem | None = None
    items: list[ItemInput] = field(default_factory=list)

    def close_item(self) -> None:
        if self.current is not None:
            self.items.append(self.current.finish())
            self.current = None

    def read(self, number: int, line: str) -> None:
        stripped = line.strip()
        heading = HEADING.match(stripped)
        if heading:
            self.read_heading(number, len(heading.group(1)), heading.group(2))
        elif not stripped:
            if self.current is not None:
                self.current.body_lines.append("")
        else:
            self.read_text(number, stripped)

    def read_heading(self, number: int, level: int, text: str) -> None:
        if level == 1:
            return
        if level == 2:
            self.close_item()
            self.kind = MARKDOWN_SECTIONS.get(text.lower().rstrip(":"))
            if self.kind is None:
                raise PlaybookError(
                    f"Line {number}: unknown section “## {text}”. Use Value proposition, "
                    "Differentiators, Insights or Objections."
                )
            return
        if level > 3:
            raise PlaybookError(f"Line {number}: start each item with “### Title”.")
        if self.kind is None:
            raise PlaybookError(
                f"Line {number}: put items under a section heading such as “## Differentiators”."
            )
        self.close_item()
        self.current = MarkdownItem(ItemInput(kind=self.kind, title=text, line=number))

    def read_text(self, number: int, text: str) -> None:
        item = self.item_for_text(number)
        key_point = KEY_POINT.match(text)
        label = LABEL.match(text)
        if key_point:
            item.item.key_points.append(key_point.group(1))
        elif label:
            self.read_label(number, item, label.group(1).lower(), label.group(2))
        else:
            item.body_lines.append(text)

    def item_for_text(self, number: int) -> MarkdownItem:
        if self.kind is None:
            raise PlaybookError(
                f"Line {number}: start with a section heading such as “## Value proposition”."
            )
        if self.current is None:
            if self.kind != ItemKind.VALUE_PROPOSITION:
                raise PlaybookError(
                    f"Line {number}: start each {self.kind.label.lower()} with a “### Title” line."
                )
            self.current = MarkdownItem(
                ItemInput(kind=self.kind, title="Value proposition", line=number)
            )
        return self.current

    def read_label(self, number: int, current: MarkdownItem, label: str, text: str) -> None:
        kind = current.item.kind
        target = LABELS.get(kind, {}).get(label)
        if target is None:
            raise PlaybookError(
                f"Line {number}: {article(kind).lower()} "
                f"{kind.label.lower()} has no “{label.capitalize()}:” line."
            )
        if target == "body":
            current.body_lines.append(text)
            return
        if getattr(current.item, target):
            raise PlaybookError(f"Line {number}: this item already has a “{label.capitalize()}:”.")
        setattr(current.item, target, text)


def parse_markdown(text: str) -> list[ItemInput]:
    reader = MarkdownReader()
    for number, line in enumerate(text.splitlines(), start=1):
        reader.read(number, line)
    reader.close_item()
    return reader.items
