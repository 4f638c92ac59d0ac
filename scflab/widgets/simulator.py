"""RequestSimulator: ask CAM one question at a time, or a grid of them.

Choose who asks (the root account, a sub-user, a collaborator, or a
session of a role), the action, the resource and the context (source IP,
time, request tags); the simulator shows the outcome as a word, a symbol
and a colour, every statement it read, and for a denial what would change
it. In grid mode it decides every chosen action on every chosen resource
for one identity.

Decisions come from the account (`Account.authorize`: the identity's own
policies, groups, boundary and session policy), or, given a
`policy_source`, from that one policy alone, as if it were the only policy
attached to the identity:

    >>> from scflab.widgets import PolicyBuilder
    >>> builder = PolicyBuilder()
    >>> simulator = RequestSimulator(policy_source=builder)
    >>> simulator.decision.outcome.value
    'allow'
"""

from __future__ import annotations

import ipaddress
from html import escape
from typing import Any, Callable, Iterable

import ipywidgets as widgets
import traitlets

from scflab.catalog import default_catalog
from scflab.evaluation.decision import Decision
from scflab.evaluation.evaluator import evaluate
from scflab.evaluation.request import (
    Caller, CallerKind, Request, RequestError)
from scflab.identity.clock import as_moment, iso_utc
from scflab.identity.identities import Collaborator, SubUser
from scflab.identity.roles import Role
from scflab.language.model import Policy
from scflab.widgets.common import (
    OUTCOME_LOOK, TABLE_STYLE, button, decision_html, field, guarded,
    message_html, rich)

__all__ = [
    "RequestSimulator",
    "GRID_ACTIONS",
    "decision_grid",
    "grid_html",
    "identity_choices",
    "read_context",
    "resource_choices",
]

#: The actions a new grid starts with.
GRID_ACTIONS = ("scf:ListFunctions", "scf:GetFunction",
                "scf:InvokeFunction", "scf:DeleteFunction",
                "cos:GetObject", "cos:PutObject")

Decide = Callable[[str, str], Decision]


# The pure part.

def read_context(source_ip: str = "", time: str = "",
                 tags: str = "") -> dict[str, Any]:
    """The request context the three text fields describe.

    An empty field adds nothing. `time` is ISO 8601 (UTC when no zone is
    given); `tags` are comma-separated `key&value` pairs. Raises
    `RequestError` naming the field and the value it could not read.

    >>> read_context("10.0.0.8", "2025-03-03T09:30:00Z", "team&ops")
    {'qcs:ip': '10.0.0.8', 'qcs:current_time': '2025-03-03T09:30:00Z', \
'qcs:request_tag': ['team&ops']}
    """
    context: dict[str, Any] = {}
    if source_ip.strip():
        context["qcs:ip"] = _address(source_ip.strip())
    if time.strip():
        context["qcs:current_time"] = _moment(time.strip())
    tag_list = [t.strip() for t in tags.split(",") if t.strip()]
    if tag_list:
        context["qcs:request_tag"] = [_tag(t) for t in tag_list]
    return context


def _address(text: str) -> str:
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        raise RequestError(
            f"source IP `{text}` is not an IP address; write one address "
            "such as `10.0.0.8` (a request comes from one address, so "
            "no `/24`)") from None


def _moment(text: str) -> str:
    try:
        return iso_utc(as_moment(text))
    except ValueError:
        raise RequestError(
            f"time `{text}` is not an ISO 8601 time; write one such as "
            "`2025-03-03T09:30:00Z`, or leave it empty for the account's "
            "clock") from None


def _tag(text: str) -> str:
    key, sep, value = text.partition("&")
    if not (sep and key and value):
        raise RequestError(f"tag `{text}` is not written `key&value`, "
                           "such as `team&ops`")
    return text


def identity_choices(account) -> list[tuple[str, Any]]:
    """Who may ask, as (label, identity) pairs: root, users, role sessions.

    A role stands for a session of it without a session policy.
    """
    choices = [(f"root account ({account.uin})", account.root)]
    for user in account.users.values():
        kind = "collaborator" if isinstance(user, Collaborator) \
            else "sub-user"
        choices.append((f"{kind} {user.name}", user))
    choices += [(f"session of role {role.name}", role)
                for role in account.roles.values()]
    return choices


def resource_choices(account) -> list[str]:
    """`*` and the resources of the account: functions, objects, roles."""
    names = ["*"]
    names += [str(f.resource) for f in account.scf.functions]
    for bucket in account.cos.buckets.values():
        names.append(str(bucket.resource()))
        names += [str(bucket.resource(key)) for key in bucket.keys()]
    names += [role.arn for role in account.roles.values()]
    return names


def decision_grid(decide: Decide, actions: Iterable[str],
                  resources: Iterable[str]) -> list[list[Decision]]:
    """`decide(action, resource)` for every action (rows) and resource."""
    resources = list(resources)
    return [[decide(action, resource) for resource in resources]
            for action in actions]


def grid_html(actions: list[str], resources: list[str],
              grid: list[list[Decision]]) -> str:
    """The grid as an HTML table: a word and symbol in every cell."""
    head = "".join(f"<th title='{escape(r)}'>{escape(_short(r))}</th>"
                   for r in resources)
    rows = "".join(
        f"<tr><th>{escape(action)}</th>"
        + "".join(_cell(d) for d in decisions) + "</tr>"
        for action, decisions in zip(actions, grid))
    return (f"{TABLE_STYLE}<table class='scflab-grid scflab-table'>"
            f"<tr><th>action \\ resource</th>{head}</tr>{rows}</table>")


def _cell(decision: Decision) -> str:
    symbol, word, colour = OUTCOME_LOOK[decision.outcome]
    why = "; ".join(map(str, decision.reasons)) or decision.advice or ""
    return (f"<td title='{escape(why)}' style='color:{colour};"
            f"font-weight:bold'>{symbol} {word.lower()}</td>")


def _short(resource: str) -> str:
    """The last segment of a resource name, which tells them apart."""
    return resource.rsplit(":", 1)[-1] if resource != "*" else "*"


# The widget.

class RequestSimulator(widgets.VBox):
    """Decide requests for an account's identities and explain them.

    `account` defaults to `scflab.sample_account()`. With `policy_source`
    (a `PolicyBuilder`, anything with a `policy` trait, or a `Policy`),
    decisions use that policy alone and follow its changes. `decision`
    holds the last decision made; `last_error` the last error a callback
    met, which is also shown in the widget.
    """

    decision = traitlets.Instance(Decision, allow_none=True, read_only=True)

    message_areas = ("message",)

    def __init__(self, account=None, *, policy_source=None,
                 action: str = "scf:ListFunctions", resource: str = "*",
                 **kwargs):
        super().__init__(**kwargs)
        self.add_class("scflab-request-simulator")
        if account is None:
            from scflab.identity.sample import sample_account

            account = sample_account()
        self.account = account
        self.policy_source = policy_source
        self.last_error: Exception | None = None
        self._make_controls(action, resource)
        self.children = self._layout()
        self._follow(policy_source)
        self._wire()
        self._update()

    # What programs call.

    @property
    def policy(self) -> Policy | None:
        """The policy decisions use, or None for the account's policies."""
        source = self.policy_source
        if source is None or isinstance(source, Policy):
            return source
        return source.policy

    def decide(self) -> Decision:
        """Decide the request the controls describe, show it and return it.

        Raises `RequestError` for a malformed action, resource or context;
        the last decision is then kept.
        """
        decide = self._decider()
        decision = decide(self.action.value.strip(),
                          self.resource.value.strip())
        self.set_trait("decision", decision)
        self.result.value = decision_html(decision)
        return decision

    def grid(self, actions: Iterable[str] | None = None,
             resources: Iterable[str] | None = None
             ) -> list[dict[str, Any]]:
        """Decide every action on every resource; one mapping per cell.

        Defaults to the actions and resources chosen in the grid controls.
        """
        actions = list(actions or self.grid_actions.value)
        resources = list(resources or self.grid_resources.value)
        grid = decision_grid(self._decider(), actions, resources)
        return [{"action": a, "resource": r, "outcome": d.outcome.value,
                 "decision": d}
                for a, row in zip(actions, grid)
                for r, d in zip(resources, row)]

    def grid_frame(self):
        """The grid as a pandas DataFrame of outcomes (imports pandas)."""
        import pandas

        rows = [{k: v for k, v in row.items() if k != "decision"}
                for row in self.grid()]
        return pandas.DataFrame(rows).pivot(
            index="action", columns="resource", values="outcome")

    def _decider(self) -> Decide:
        """Decide (action, resource) for the chosen identity and context.

        The context is read once, so a bad field fails before any
        decision is made.
        """
        context = read_context(self.source_ip.value, self.time.value,
                               self.tags.value)
        identity, policy = self.identity.value, self.policy
        if policy is None:
            return lambda action, resource: self.account.authorize(
                identity, action, resource, context)
        context.setdefault("qcs:current_time",
                           iso_utc(self.account.clock.now()))
        caller = _caller(identity)
        return lambda action, resource: evaluate(
            Request(action, resource, caller, context), [policy])

    # Building.

    def _make_controls(self, action: str, resource: str) -> None:
        W = widgets
        choices = identity_choices(self.account)
        self.identity = field(W.Dropdown, "Who asks", options=choices,
                              value=_first_user(choices))
        actions = _action_names()
        self.action = field(W.Combobox, "Action", options=actions,
                            value=action, ensure_option=False,
                            continuous_update=False)
        resources = resource_choices(self.account)
        self.resource = field(W.Combobox, "Resource", options=resources,
                              value=resource, ensure_option=False,
                              width="60em", continuous_update=False)
        self.source_ip = field(W.Text, "Source IP", placeholder="10.0.0.8",
                               continuous_update=False)
        self.time = field(W.Text, "Time (UTC)", continuous_update=False,
                          placeholder="empty: the account's clock")
        self.tags = field(W.Text, "Request tags", continuous_update=False,
                          placeholder="team&ops, env&prod")
        self.mode = field(W.ToggleButtons, "View",
                          options=["one request", "grid"],
                          style={"description_width": "10em",
                                 "button_width": "9em"})
        self.mode.add_class("widget-inline-hbox")
        self.grid_actions = field(W.SelectMultiple, "Grid actions",
                                  options=actions, rows=8,
                                  value=[a for a in GRID_ACTIONS
                                         if a in actions])
        self.grid_resources = field(W.SelectMultiple, "Grid resources",
                                    options=resources, rows=8,
                                    value=_grid_start(resources),
                                    width="60em")
        self.decide_button = button("Decide", "gavel",
                                    "Decide the request again")
        self.source = W.HTML()
        self.message = W.HTML()
        self.result = W.HTML()
        self.grid_table = W.HTML()

    def _layout(self) -> list[widgets.Widget]:
        W = widgets
        self.single = W.VBox([self.action, self.resource, self.result])
        self.multiple = W.VBox([
            W.HBox([self.grid_actions, self.grid_resources],
                   layout=W.Layout(flex_flow="row wrap")),
            self.grid_table])
        return [self.source, self.identity, self.source_ip, self.time,
                self.tags, W.HBox([self.mode, self.decide_button]),
                self.message, self.single, self.multiple]

    def _wire(self) -> None:
        for control in (self.identity, self.action, self.resource,
                        self.source_ip, self.time, self.tags, self.mode,
                        self.grid_actions, self.grid_resources):
            control.observe(self._on_change, "value")
        self.decide_button.on_click(self._on_change)

    def _follow(self, source) -> None:
        if source is not None and not isinstance(source, Policy):
            source.observe(self._on_change, "policy")

    # Callbacks.

    @guarded()
    def _on_change(self, _change=None) -> None:
        self._update()

    def _update(self) -> None:
        """Redraw for the current mode; keep the last decision on error."""
        grid = self.mode.value == "grid"
        self.single.layout.display = "none" if grid else None
        self.multiple.layout.display = None if grid else "none"
        self.source.value = self._source_line()
        try:
            if grid:
                self._show_grid()
            else:
                self.decide()
        except Exception:
            self._mark_stale()
            raise

    def _show_grid(self) -> None:
        actions = list(self.grid_actions.value)
        resources = list(self.grid_resources.value)
        if not (actions and resources):
            self.grid_table.value = message_html(
                "info", "choose at least one action and one resource")
            return
        grid = decision_grid(self._decider(), actions, resources)
        self.grid_table.value = grid_html(actions, resources, grid)

    def _mark_stale(self) -> None:
        if self.decision is not None and self.mode.value != "grid":
            self.result.value = (
                message_html("info", "the request above could not be "
                             "decided; below is the last one that could")
                + decision_html(self.decision))

    def _source_line(self) -> str:
        policy = self.policy
        if policy is None:
            text = (f"Decisions use the policies of account "
                    f"`{self.account.uin}` ({self.account.name}).")
        else:
            text = (f"Decisions use policy `{policy.label}` alone, as if it "
                    "were the only policy of the identity.")
        return f"<div style='margin:2px 0 6px'>{rich(text)}</div>"


def _caller(identity) -> Caller:
    """Who a request comes from; a role stands for a session of it."""
    if isinstance(identity, Role):
        return Caller(CallerKind.ROLE_SESSION, identity.owner_uin,
                      role=identity.name)
    return identity.caller


def _first_user(choices: list[tuple[str, Any]]):
    """A sub-user if there is one (more instructive than the root)."""
    users = [value for _, value in choices if isinstance(value, SubUser)]
    return users[0] if users else choices[0][1]


def _action_names() -> list[str]:
    """Every known action, the grid's first ones at the top."""
    known = [a.qualified for a in default_catalog().actions()]
    return [a for a in GRID_ACTIONS if a in known] + [
        a for a in known if a not in GRID_ACTIONS]


def _grid_start(resources: list[str]) -> list[str]:
    """Three functions and one object: enough for a first grid."""
    functions = [r for r in resources if r.startswith("qcs::scf:")]
    objects = [r for r in resources
               if r.startswith("qcs::cos:") and not r.endswith("/*")]
    return functions[:3] + objects[:1]
