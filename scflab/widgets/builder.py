"""PolicyBuilder: write a CAM policy statement by statement, checked live.

The form edits draft statements: `Statement` values nobody has validated
yet. After every change the draft document is checked by `parse_policy`.
A valid draft becomes `builder.policy`; an invalid one leaves
`builder.policy` at the last valid policy and shows each problem beside the
control it concerns, with its hint.

    >>> builder = PolicyBuilder()
    >>> builder.wildcard.value = "scf:List*"
    >>> builder.add_wildcard_button.click()
    >>> builder.policy.statements[0].actions
    ('scf:ListFunctions', 'scf:List*')

The form builds identity and session policies; it has no place for a
principal, so trust and bucket policies are out of its reach.
"""

from __future__ import annotations

import dataclasses
import json
from contextlib import contextmanager
from html import escape
from typing import Any, Iterable

import ipywidgets as widgets
import traitlets

from scflab.catalog import ActionCatalog, default_catalog
from scflab.errors import InvalidValue, PolicyError, Problem
from scflab.language.actions import ActionPattern
from scflab.language.model import (
    Condition, Effect, Policy, PolicyKind, Statement)
from scflab.language.operators import OPERATORS
from scflab.language.parser import parse_policy
from scflab.language.resources import LEGACY_REGIONS, ResourceName
from scflab.widgets.common import (
    LABELS, button, field, guarded, message_html, plural, problems_html,
    rich, write_atomically)

__all__ = [
    "PolicyBuilder",
    "RESOURCE_KINDS",
    "compose_resource",
    "condition_values",
    "describe_condition",
    "matching_actions",
    "problem_field",
    "wildcard_summary",
]

#: What the resource part of the form can build, by label.
RESOURCE_KINDS = {
    "every resource (*)": "*",
    "SCF function": "scf",
    "COS object or prefix": "cos",
    "CAM role": "cam",
    "free text": "text",
}
_KIND_OF_SERVICE = {"scf": "scf", "cos": "cos", "cam": "cam"}
_PARTS = ("effect", "action", "resource", "condition")
_REGIONS = sorted(set(LEGACY_REGIONS.values()))
_QUALIFIERS = {"one value": "", "any value (for_any_value)":
               "for_any_value", "all values (for_all_value)":
               "for_all_value"}
_BUILDABLE = (PolicyKind.IDENTITY, PolicyKind.SESSION)
_SHOWN = 8


# The pure part: what the form means, independent of any widget.

def problem_field(path: str) -> tuple[int | None, str]:
    """Which statement and which part of the form a problem's path names.

    The part is `effect`, `action`, `resource`, `condition`, `statement`
    (the statement as a whole) or `policy` (the document).

    >>> problem_field("/statement/1/resource/0")
    (1, 'resource')
    >>> problem_field("/version")
    (None, 'policy')
    """
    parts = path.split("/")[1:]
    if len(parts) < 2 or parts[0] != "statement" or not parts[1].isdigit():
        return None, "policy"
    part = parts[2] if len(parts) > 2 else ""
    return int(parts[1]), part if part in _PARTS else "statement"


def matching_actions(catalog: ActionCatalog, service: str,
                     text: str = "") -> list[str]:
    """The catalog's actions of `service` whose name contains `text`.

    >>> matching_actions(default_catalog(), "scf", "alias")[:2]
    ['scf:CreateAlias', 'scf:DeleteAlias']
    """
    wanted = text.strip().casefold()
    return [info.qualified for info in catalog.actions(service)
            if wanted in info.qualified.casefold()]


def wildcard_summary(catalog: ActionCatalog, pattern: str) -> str:
    """One sentence on what the action entry `pattern` covers.

    >>> wildcard_summary(default_catalog(), "scf:Get*Concurrency*")
    '`scf:Get*Concurrency*` covers 2 known actions: \
`scf:GetProvisionedConcurrencyConfig`, `scf:GetReservedConcurrencyConfig`'
    """
    pattern = pattern.strip()
    if not pattern:
        return "type a pattern such as `scf:List*` to see what it covers"
    try:
        ActionPattern.parse(pattern)
    except InvalidValue as problem:
        return f"{problem.message}; {problem.hint}"
    covered = [info.qualified for info in catalog.expand(pattern)]
    if not covered:
        return _uncovered(catalog, pattern)
    shown = ", ".join(f"`{name}`" for name in covered[:_SHOWN])
    more = len(covered) - _SHOWN
    tail = f" and {more} more" if more > 0 else ""
    noun = "action" if len(covered) == 1 else "actions"
    return f"`{pattern}` covers {len(covered)} known {noun}: {shown}{tail}"


def _uncovered(catalog: ActionCatalog, pattern: str) -> str:
    text = f"`{pattern}` covers no action scflab knows"
    guess = None if "*" in pattern else catalog.suggest(pattern)
    return text + (f"; did you mean `{guess}`?" if guess else "")


def compose_resource(kind: str, values: dict[str, str]) -> str:
    """The resource name the form's fields describe.

    `kind` is a value of `RESOURCE_KINDS`; `values` holds the fields'
    text (`region`, `uin`, `namespace`, `function`, `app_id`, `bucket`,
    `prefix`, `role`, `text`). An empty uin leaves the account segment
    empty, which stands for the policy owner's root account.

    >>> compose_resource("scf", {"region": "ap-guangzhou",
    ...                          "function": "hello"})
    'qcs::scf:ap-guangzhou::namespace/default/function/hello'
    """
    get = {key: str(value).strip() for key, value in values.items()}.get
    uin = get("uin", "")
    account = f"uin/{uin}" if uin else ""
    if kind == "*":
        return "*"
    if kind == "text":
        return get("text", "")
    if kind == "scf":
        path = (f"namespace/{get('namespace') or 'default'}"
                f"/function/{get('function') or '*'}")
        return str(ResourceName("", "scf", get("region", ""), account, path))
    if kind == "cos":
        return _cos_resource(get("region", ""), get("app_id", ""),
                             get("bucket", ""), get("prefix", ""))
    if kind == "cam":
        role = f"roleName/{get('role') or '*'}"
        return str(ResourceName("", "cam", "", account, role))
    raise ValueError(f"unknown resource kind `{kind}`; use one of "
                     + ", ".join(f"`{k}`" for k in RESOURCE_KINDS.values()))


def _cos_resource(region: str, app_id: str, bucket: str, prefix: str) -> str:
    if app_id:
        name = ResourceName.cos_object(app_id, bucket or "*",
                                       prefix or "*", region=region)
        return str(name)
    path = f"{bucket or '*'}/{prefix.lstrip('/') or '*'}"
    return str(ResourceName("", "cos", region, "", path))


def condition_values(text: str, operator: str) -> tuple[Any, ...]:
    """The comma-separated `text` as the values `operator` compares.

    Numbers become numbers and `true`/`false` booleans where the operator
    compares those; anything else stays text for the parser to judge.

    >>> condition_values("10.0.0.0/24, 192.168.1.1", "ip_equal")
    ('10.0.0.0/24', '192.168.1.1')
    >>> condition_values("true", "bool_equal")
    (True,)
    """
    base = operator.rpartition(":")[2].removesuffix("_if_exist")
    kind = OPERATORS.get(base)
    return tuple(_typed(part.strip(), kind)
                 for part in text.split(",") if part.strip())


def _typed(text: str, kind: str | None) -> Any:
    if kind in ("bool", "null") and text.lower() in ("true", "false"):
        return text.lower() == "true"
    if kind == "numeric":
        for number in (int, float):
            try:
                return number(text)
            except ValueError:
                pass
    return text


def describe_condition(condition: Condition) -> str:
    """`ip_equal qcs:ip: 10.0.0.0/24, 192.168.1.1`."""
    values = ", ".join(json.dumps(v) if not isinstance(v, str) else v
                       for v in condition.values)
    return f"{condition.operator} {condition.key}: {values}"


def _operator(base: str, qualifier: str, if_exist: bool) -> str:
    name = base + ("_if_exist" if if_exist and base != "null_equal" else "")
    return f"{qualifier}:{name}" if qualifier else name


def _with_condition(statement: Statement, new: Condition) -> Statement:
    """`statement` with `new` added, merged into a condition on its key."""
    conditions = list(statement.conditions)
    for index, old in enumerate(conditions):
        if (old.operator, old.key) == (new.operator, new.key):
            values = old.values + tuple(v for v in new.values
                                        if v not in old.values)
            conditions[index] = Condition(old.operator, old.key, values)
            break
    else:
        conditions.append(new)
    return dataclasses.replace(statement, conditions=tuple(conditions))


def _appended(items: tuple[str, ...], new: Iterable[str]) -> tuple[str, ...]:
    return items + tuple(dict.fromkeys(n for n in new if n not in items))


def _service_of(statement: Statement, catalog: ActionCatalog) -> str | None:
    """The first known service among the statement's actions."""
    for action in statement.actions:
        service = action.removeprefix("name/").partition(":")[0].lower()
        if catalog.is_known_service(service):
            return service
    return None


def _statement_label(index: int, statement: Statement,
                     problems: int) -> str:
    actions = ", ".join(statement.actions[:2]) or "no action yet"
    if len(statement.actions) > 2:
        actions += ", …"
    warning = f"  ⚠ {plural(problems, 'problem')}" if problems else ""
    return f"{index + 1} · {statement.effect.value} · {actions}{warning}"


def _first_statement() -> Statement:
    return Statement(Effect.ALLOW, ("scf:ListFunctions",), ("*",))


# The widget.

class PolicyBuilder(widgets.VBox):
    """A form that builds a CAM policy, with its JSON and its problems.

    `policy` always holds the last valid `Policy` (observe it with
    `builder.observe(callback, "policy")`); `problems` lists what is wrong
    with the form right now; `statements` are the drafts being edited and
    `selected` the index of the one shown. A callback never raises: an
    error appears in the widget and is kept in `last_error`.

    Start from `policy` (a `Policy`, JSON text or a mapping) or from one
    statement allowing `scf:ListFunctions`.
    """

    policy = traitlets.Instance(Policy, read_only=True)

    #: Where callbacks report; a new callback clears them all.
    message_areas = ("message", "action_message", "resource_message",
                     "condition_message", "io_message")

    def __init__(self, policy: Policy | str | dict | None = None, *,
                 kind: PolicyKind | str = PolicyKind.IDENTITY,
                 name: str = "MyPolicy",
                 catalog: ActionCatalog | None = None, **kwargs):
        super().__init__(**kwargs)
        self.add_class("scflab-policy-builder")
        self.kind = PolicyKind(kind)
        if self.kind not in _BUILDABLE:
            raise ValueError(f"PolicyBuilder builds identity and session "
                             f"policies, not `{self.kind.value}` policies")
        self.name = name
        self.catalog = catalog or default_catalog()
        self.last_error: Exception | None = None
        self.problems: tuple[Problem, ...] = ()
        self.selected = 0
        self._quiet = False
        start = self._parse(policy) if policy is not None else None
        self.statements = list(start.statements) if start else \
            [_first_statement()]
        self._make_controls()
        self._wire()
        self.children = self._layout()
        self._show_wildcard("")
        self._refresh(show=True)

    # What programs call.

    def to_json(self) -> str:
        """The current valid policy as canonical CAM JSON."""
        return self.policy.to_json()

    def load(self, source: Policy | str | dict) -> Policy:
        """Replace the form with a policy given as text, data or `Policy`.

        Raises `PolicyError` (and changes nothing) when it is not valid.
        """
        policy = self._parse(source)
        self.statements = list(policy.statements)
        self.selected = 0
        self._refresh(show=True)
        return policy

    def save(self, path) -> str:
        """Write the current valid policy to `path`, whole or not at all."""
        target = write_atomically(path, self.to_json() + "\n")
        return str(target)

    def add_statement(self) -> int:
        """Add an allow statement with no action yet; select and return it."""
        self.statements.append(Statement(Effect.ALLOW, (), ("*",)))
        self.selected = len(self.statements) - 1
        self._refresh(show=True)
        return self.selected

    def remove_statement(self, index: int | None = None) -> None:
        """Remove statement `index` (default: the selected one)."""
        index = self.selected if index is None else index
        self._check_index(index)
        if len(self.statements) == 1:
            raise ValueError("a policy needs at least one statement; "
                             "change this one instead of removing it")
        del self.statements[index]
        if index < self.selected or self.selected == len(self.statements):
            self.selected -= 1
        self._refresh(show=True)

    def select(self, index: int) -> None:
        """Show statement `index` in the form."""
        self._check_index(index)
        self.selected = index
        self._refresh(show=True)

    @property
    def statement(self) -> Statement:
        """The draft statement being edited."""
        return self.statements[self.selected]

    def _check_index(self, index: int) -> None:
        if not 0 <= index < len(self.statements):
            raise IndexError(f"there is no statement {index + 1}; the "
                             f"policy has {len(self.statements)}")

    def _parse(self, source) -> Policy:
        if isinstance(source, Policy):
            source = source.to_data()
        if isinstance(source, str):
            source = source.encode("utf-8")  # text, never a file name
        return parse_policy(source, kind=self.kind, name=self.name)

    # Building the form.

    def _make_controls(self) -> None:
        W = widgets
        self.message = W.HTML()
        self.statement_picker = field(W.Dropdown, "Statement")
        self.add_statement_button = button(
            "Add statement", "plus", "Add a statement to the policy")
        self.remove_statement_button = button(
            "Remove statement", "trash", "Remove the statement shown")
        self.statement_problems = W.HTML()
        self.effect = field(
            W.ToggleButtons, "Effect", options=[e.value for e in Effect],
            tooltips=["the statement grants", "the statement forbids"],
            style={**LABELS, "button_width": "8em"})
        self.effect.add_class("widget-inline-hbox")  # label beside it
        self.effect_problems = W.HTML()
        self.service = field(W.Dropdown, "Service",
                             options=self.catalog.services(), value="scf")
        self._make_action_controls()
        self._make_resource_controls()
        self._make_condition_controls()
        self.status = W.HTML()
        self.policy_problems = W.HTML()
        self.preview = W.HTML()
        self._make_io_controls()

    def _make_action_controls(self) -> None:
        W = widgets
        self.action_filter = field(W.Text, "Filter actions",
                                   placeholder="part of a name: Function")
        self.action_catalog = field(W.SelectMultiple, "Known actions",
                                    rows=6)
        self.add_actions_button = button("Add selected actions", "plus")
        self.wildcard = field(W.Text, "Wildcard entry",
                              placeholder="scf:List*")
        self.add_wildcard_button = button("Add wildcard", "plus")
        self.wildcard_preview = W.HTML()
        self.actions = field(W.SelectMultiple, "Actions", rows=4)
        self.remove_actions_button = button(
            "Remove actions", "minus",
            "Remove the selected actions from the statement")
        self.action_message = W.HTML()
        self.action_problems = W.HTML()

    def _make_resource_controls(self) -> None:
        W = widgets
        self.resource_kind = field(W.Dropdown, "Resource kind",
                                   options=list(RESOURCE_KINDS.items()),
                                   value="*")
        self.region = field(W.Combobox, "Region", options=_REGIONS,
                            value="ap-guangzhou", ensure_option=False)
        self.uin = field(W.Text, "Owner uin",
                         placeholder="empty: the policy owner's account")
        self.namespace = field(W.Text, "Namespace", value="default")
        self.function = field(W.Text, "Function", value="*")
        self.app_id = field(W.Text, "App ID", placeholder="1250000000")
        self.bucket = field(W.Text, "Bucket", placeholder="examplebucket")
        self.prefix = field(W.Text, "Key or prefix", value="*")
        self.role = field(W.Text, "Role name", value="*")
        self.resource_text = field(W.Text, "Resource name",
                                   placeholder="qcs::scf:ap-guangzhou:…")
        self.resource_preview = W.HTML()
        self.add_resource_button = button("Add resource", "plus")
        self.resources = field(W.SelectMultiple, "Resources", rows=3)
        self.remove_resources_button = button(
            "Remove resources", "minus",
            "Remove the selected resources from the statement")
        self.resource_message = W.HTML()
        self.resource_problems = W.HTML()

    def _make_condition_controls(self) -> None:
        W = widgets
        self.condition_operator = field(W.Dropdown, "Operator",
                                        options=list(OPERATORS),
                                        value="ip_equal")
        self.condition_qualifier = field(W.Dropdown, "Values of the key",
                                         options=list(_QUALIFIERS.items()),
                                         value="")
        self.condition_if_exist = field(
            W.Checkbox, "also met when the key is absent (_if_exist)")
        self.condition_key = field(W.Combobox, "Key", ensure_option=False,
                                   placeholder="qcs:ip")
        self.condition_values = field(W.Text, "Values",
                                      placeholder="10.0.0.0/24, 1.2.3.4")
        self.add_condition_button = button("Add condition", "plus")
        self.conditions = field(W.SelectMultiple, "Conditions", rows=3)
        self.remove_conditions_button = button(
            "Remove conditions", "minus",
            "Remove the selected conditions from the statement")
        self.condition_message = W.HTML()
        self.condition_problems = W.HTML()

    def _make_io_controls(self) -> None:
        W = widgets
        self.paste = field(W.Textarea, "Paste JSON", width="100%", rows=6,
                           placeholder='{"version": "2.0", "statement": …}')
        self.load_button = button("Load", "upload",
                                  "Replace the form with the pasted policy")
        self.save_path = field(W.Text, "Save to",
                               placeholder="policy.json")
        self.save_button = button("Save", "save",
                                  "Write the valid policy to the file")
        self.io_message = W.HTML()

    def _layout(self) -> list[widgets.Widget]:
        W = widgets
        row = W.HBox
        form = W.VBox([
            _heading("Statement"),
            row([self.statement_picker, self.add_statement_button,
                 self.remove_statement_button]),
            self.message, self.statement_problems,
            self.effect, self.effect_problems,
            _heading("Actions"),
            self.service, self.action_filter,
            row([self.action_catalog, self.add_actions_button]),
            row([self.wildcard, self.add_wildcard_button]),
            self.wildcard_preview,
            row([self.actions, self.remove_actions_button]),
            self.action_message, self.action_problems,
            _heading("Resources"),
            self.resource_kind, self.region, self.uin, self.namespace,
            self.function, self.app_id, self.bucket, self.prefix,
            self.role, self.resource_text, self.resource_preview,
            self.add_resource_button,
            row([self.resources, self.remove_resources_button]),
            self.resource_message, self.resource_problems,
            _heading("Conditions"),
            self.condition_operator, self.condition_qualifier,
            self.condition_if_exist, self.condition_key,
            self.condition_values, self.add_condition_button,
            row([self.conditions, self.remove_conditions_button]),
            self.condition_message, self.condition_problems,
        ], layout=W.Layout(flex="1 1 560px", min_width="480px"))
        side = W.VBox([
            _heading("Policy"), self.status, self.policy_problems,
            self.preview,
            _heading("Load or save"), self.paste, self.load_button,
            row([self.save_path, self.save_button]), self.io_message,
        ], layout=W.Layout(flex="1 1 380px", min_width="320px",
                           padding="0 0 0 12px"))
        return [W.HBox([form, side], layout=W.Layout(flex_flow="row wrap"))]

    def _wire(self) -> None:
        clicks = {
            self.add_statement_button: self._on_add_statement,
            self.remove_statement_button: self._on_remove_statement,
            self.add_actions_button: self._on_add_actions,
            self.add_wildcard_button: self._on_add_wildcard,
            self.remove_actions_button: self._on_remove_actions,
            self.add_resource_button: self._on_add_resource,
            self.remove_resources_button: self._on_remove_resources,
            self.add_condition_button: self._on_add_condition,
            self.remove_conditions_button: self._on_remove_conditions,
            self.load_button: self._on_load,
            self.save_button: self._on_save,
        }
        for button, handler in clicks.items():
            button.on_click(handler)
        changes = {
            self.statement_picker: self._on_pick,
            self.effect: self._on_effect,
            self.service: self._on_service,
            self.action_filter: self._on_filter,
            self.wildcard: self._on_wildcard,
            self.resource_kind: self._on_resource_kind,
            self.condition_operator: self._on_operator,
        }
        for control, handler in changes.items():
            control.observe(handler, "value")
        for control in (self.region, self.uin, self.namespace,
                        self.function, self.app_id, self.bucket,
                        self.prefix, self.role, self.resource_text):
            control.observe(self._on_resource_field, "value")

    # Callbacks: each one is thin and guarded.

    @guarded()
    def _on_add_statement(self, _button) -> None:
        self.add_statement()

    @guarded()
    def _on_remove_statement(self, _button) -> None:
        self.remove_statement()

    @guarded()
    def _on_pick(self, change) -> None:
        if not self._quiet and change["new"] is not None:
            self.select(change["new"])

    @guarded()
    def _on_effect(self, change) -> None:
        if not self._quiet:
            self._edit(effect=Effect(change["new"]))

    @guarded()
    def _on_service(self, change) -> None:
        self._show_service(change["new"])

    @guarded("action_message")
    def _on_filter(self, _change) -> None:
        self._show_known_actions()

    @guarded("action_message")
    def _on_add_actions(self, _button) -> None:
        chosen = self.action_catalog.value
        if not chosen:
            raise ValueError("select one or more known actions first")
        self._edit(actions=_appended(self.statement.actions, chosen))

    @guarded("action_message")
    def _on_wildcard(self, change) -> None:
        self._show_wildcard(change["new"])

    @guarded("action_message")
    def _on_add_wildcard(self, _button) -> None:
        pattern = self.wildcard.value.strip()
        if not pattern:
            raise ValueError("type a wildcard entry such as `scf:List*` "
                             "first")
        self._edit(actions=_appended(self.statement.actions, [pattern]))

    @guarded("action_message")
    def _on_remove_actions(self, _button) -> None:
        doomed = set(self.actions.value)
        kept = tuple(a for a in self.statement.actions if a not in doomed)
        self._edit(actions=kept)

    @guarded("resource_message")
    def _on_resource_kind(self, change) -> None:
        self._show_resource_fields(change["new"])

    @guarded("resource_message")
    def _on_resource_field(self, _change) -> None:
        self._show_resource_preview()

    @guarded("resource_message")
    def _on_add_resource(self, _button) -> None:
        resource = self._composed_resource()
        if not resource:
            raise ValueError("type a resource name first, such as "
                             "`qcs::scf:ap-guangzhou::namespace/default/"
                             "function/hello`")
        current = self.statement.resources
        if current == ("*",) and resource != "*":
            current = ()
            self.resource_message.value = message_html(
                "info", f"`{resource}` replaced `*`, which covered every "
                "resource")
        self._edit(resources=_appended(current, [resource]))

    @guarded("resource_message")
    def _on_remove_resources(self, _button) -> None:
        doomed = set(self.resources.value)
        kept = tuple(r for r in self.statement.resources if r not in doomed)
        self._edit(resources=kept)

    @guarded("condition_message")
    def _on_operator(self, change) -> None:
        self.condition_if_exist.disabled = change["new"] == "null_equal"

    @guarded("condition_message")
    def _on_add_condition(self, _button) -> None:
        operator = _operator(self.condition_operator.value,
                             self.condition_qualifier.value,
                             self.condition_if_exist.value)
        values = condition_values(self.condition_values.value, operator)
        condition = Condition(operator, self.condition_key.value.strip(),
                              values)
        self._replace(_with_condition(self.statement, condition))

    @guarded("condition_message")
    def _on_remove_conditions(self, _button) -> None:
        doomed = set(self.conditions.value)
        kept = tuple(c for i, c in enumerate(self.statement.conditions)
                     if i not in doomed)
        self._edit(conditions=kept)

    @guarded("io_message")
    def _on_load(self, _button) -> None:
        policy = self.load(self.paste.value)
        count = len(policy.statements)
        self.io_message.value = message_html(
            "ok", f"loaded {plural(count, 'statement')}")

    @guarded("io_message")
    def _on_save(self, _button) -> None:
        target = self.save(self.save_path.value)
        count = len(self.policy.statements)
        text = f"saved {plural(count, 'statement')} to `{target}`"
        if self.problems:
            text += "; the form has problems, so the file holds the last " \
                "valid policy"
        self.io_message.value = message_html("ok", text)

    # Keeping the form, the drafts and the policy in step.

    def _edit(self, **changes) -> None:
        self._replace(dataclasses.replace(self.statement, **changes))

    def _replace(self, statement: Statement) -> None:
        self.statements[self.selected] = statement
        self._refresh()

    def _refresh(self, show: bool = False) -> None:
        """Check the drafts, then redraw what depends on them."""
        document = Policy(tuple(self.statements), self.kind).to_data()
        self._validate(document)
        with self._quietly():
            if show:
                self._show_statement()
            self._show_lists()
        self._show_problems()
        self._show_preview(document)

    def _validate(self, document: dict) -> None:
        try:
            policy = parse_policy(document, kind=self.kind, name=self.name)
        except PolicyError as error:
            self.problems = tuple(error.problems)
            return
        self.problems = ()
        self.set_trait("policy", policy)

    @contextmanager
    def _quietly(self):
        """Set controls from the drafts without treating it as an edit."""
        self._quiet, was = True, self._quiet
        try:
            yield
        finally:
            self._quiet = was

    def _show_statement(self) -> None:
        statement = self.statement
        self.effect.value = statement.effect.value
        service = _service_of(statement, self.catalog)
        if service and service != self.service.value:
            self.service.value = service
        else:
            self._show_service(self.service.value)

    def _show_service(self, service: str) -> None:
        self._show_known_actions()
        self.wildcard.placeholder = f"{service}:List*"
        keys = sorted(self.catalog.condition_keys(service))
        self.condition_key.options = keys
        kind = _KIND_OF_SERVICE.get(service)
        if kind and self.resource_kind.value not in ("*", "text"):
            self.resource_kind.value = kind
        self._show_resource_fields(self.resource_kind.value)

    def _show_wildcard(self, pattern: str) -> None:
        summary = wildcard_summary(self.catalog, pattern)
        self.wildcard_preview.value = message_html("info", summary)

    def _show_known_actions(self) -> None:
        self.action_catalog.options = matching_actions(
            self.catalog, self.service.value, self.action_filter.value)

    def _show_resource_fields(self, kind: str) -> None:
        wanted = {
            "*": (), "text": ("resource_text",),
            "scf": ("region", "uin", "namespace", "function"),
            "cos": ("region", "app_id", "bucket", "prefix"),
            "cam": ("uin", "role"),
        }[kind]
        for name in ("region", "uin", "namespace", "function", "app_id",
                     "bucket", "prefix", "role", "resource_text"):
            getattr(self, name).layout.display = \
                None if name in wanted else "none"
        self._show_resource_preview()

    def _composed_resource(self) -> str:
        names = ("region", "uin", "namespace", "function", "app_id",
                 "bucket", "prefix", "role")
        values = {name: getattr(self, name).value for name in names}
        values["text"] = self.resource_text.value
        return compose_resource(self.resource_kind.value, values)

    def _show_resource_preview(self) -> None:
        resource = self._composed_resource()
        self.resource_preview.value = message_html(
            "info", f"Add resource will add `{resource}`" if resource
            else "type a resource name")

    def _show_lists(self) -> None:
        statement = self.statement
        counts = self._problem_counts()
        self.statement_picker.options = [
            (_statement_label(i, s, counts.get(i, 0)), i)
            for i, s in enumerate(self.statements)]
        self.statement_picker.value = self.selected
        self.actions.options = statement.actions
        self.resources.options = statement.resources
        self.conditions.options = [
            (describe_condition(c), i)
            for i, c in enumerate(statement.conditions)]

    def _problem_counts(self) -> dict[int, int]:
        counts: dict[int, int] = {}
        for problem in self.problems:
            index, _ = problem_field(problem.path)
            if index is not None:
                counts[index] = counts.get(index, 0) + 1
        return counts

    def _show_problems(self) -> None:
        by_field: dict[str, list[Problem]] = {}
        for problem in self.problems:
            index, part = problem_field(problem.path)
            if index in (None, self.selected):
                by_field.setdefault(part, []).append(problem)
        for part in ("statement", "policy") + _PARTS:
            found = by_field.get(part, [])
            getattr(self, f"{part}_problems").value = message_html(
                "error", plural(len(found), "problem"),
                problems_html(found)) if found else ""
        self._show_status()

    def _show_status(self) -> None:
        if not self.problems:
            count = len(self.statements)
            self.status.value = message_html(
                "ok", f"valid {self.kind.value} policy with "
                f"{plural(count, 'statement')}; `builder.policy` is "
                "up to date")
            return
        others = len(self.problems) - sum(
            1 for p in self.problems
            if problem_field(p.path)[0] in (None, self.selected))
        where = f" ({others} in other statements)" if others else ""
        self.status.value = message_html(
            "error", f"{plural(len(self.problems), 'problem')}{where}; "
            "`builder.policy` "
            "keeps the last valid policy")

    def _show_preview(self, document: dict) -> None:
        text = json.dumps(document, indent=2, ensure_ascii=False)
        self.preview.value = (
            "<pre class='scflab-json' aria-label='policy JSON' style="
            "'max-height:32em;overflow:auto;background:#f6f8fa;"
            "white-space:pre-wrap;overflow-wrap:anywhere;"
            f"padding:6px;margin:0'>{escape(text)}</pre>")


def _heading(text: str) -> widgets.HTML:
    return widgets.HTML(f"<h4 style='margin:8px 0 2px'>{rich(text)}</h4>")

