"""RoleWalkthrough: how a function's code gets credentials, step by step.

For the chosen function SCF's story is told in six steps:

1. the function and its execution role;
2. the trust check: does the role's trust policy admit `scf.qcloud.com`?
3. AssumeRole: SCF asks STS for a session of the role;
4. the temporary credentials, masked, and when they expire;
5. how they reach the code: environment variables for a code package,
   `X-Scf-*` headers for an image function;
6. a call made with them, decided as the role session.

Everything shown comes from one real invocation of the function in the
account (`ScfService.invoke`), so the credentials in steps 3 to 6 are the
ones the code received. The account's clock can be moved forward: past
the expiry, step 6 shows the same call refused.

    >>> walkthrough = RoleWalkthrough()
    >>> walkthrough.go(5)
    >>> walkthrough.decision.outcome.value
    'allow'
    >>> walkthrough.advance_clock(3 * 3600)
    >>> walkthrough.decision.outcome.value
    'implicit_deny'
"""

from __future__ import annotations

from html import escape

import ipywidgets as widgets
import traitlets

from scflab.evaluation.decision import Decision
from scflab.identity.clock import iso_utc
from scflab.identity.errors import AccessDenied
from scflab.identity.identities import SCF_SERVICE
from scflab.identity.sts import RoleSession
from scflab.scf.client import Client
from scflab.widgets.common import (
    TABLE_STYLE, button, decision_html, error_html, field, guarded,
    message_html, rich)

__all__ = ["RoleWalkthrough", "STEPS", "call_choices", "duration_text",
           "steps_html"]

#: The steps of the story, in order.
STEPS = ("The function", "Trust check", "AssumeRole", "Credentials",
         "Delivery to the code", "A call from the code")

LAST_STEP = len(STEPS) - 1

#: Calls offered in the last step besides those the code made.
EXTRA_CALLS = (("cos:GetObject", "uploads", "cat.jpg"),
               ("cos:PutObject", "thumbnails", "cat.jpg"),
               ("cos:DeleteObject", "uploads", "cat.jpg"))


# The pure part.

def duration_text(seconds: float) -> str:
    """`2 h 5 min`, `59 min`, `40 s`: a span of time for people.

    >>> duration_text(7500)
    '2 h 5 min'
    """
    seconds = int(abs(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{minutes} min" if minutes else f"{seconds} s"


def steps_html(current: int) -> str:
    """The step indicator: `Step 3 of 6: AssumeRole` and every step."""
    marks = "".join(_step_mark(i, name, i == current)
                    for i, name in enumerate(STEPS))
    return (f"<div class='scflab-steps'><b>Step {current + 1} of "
            f"{len(STEPS)}: {escape(STEPS[current])}</b>"
            f"<ol style='padding:0;margin:4px 0'>{marks}</ol></div>")


def _step_mark(index: int, name: str, current: bool) -> str:
    look = "font-weight:bold" if current else "color:#666"
    aria = " aria-current='step'" if current else ""
    mark = "●" if current else "○"
    return (f"<li{aria} style='display:inline;margin-right:12px;{look}'>"
            f"{mark} {index + 1}. {escape(name)}</li>")


def call_choices(account, invocation) -> list[tuple[str, tuple[str, str]]]:
    """(label, (action, resource)) for step 6: the code's calls first."""
    calls = [(c.action, c.resource) for c in invocation.calls] \
        if invocation is not None else []
    for action, bucket, key in EXTRA_CALLS:
        found = account.cos.buckets.get(bucket)
        if found is not None:
            calls.append((action, str(found.resource(key))))
    unique = dict.fromkeys(calls)
    return [(f"{action} on {resource.rsplit(':', 1)[-1]}",
             (action, resource)) for action, resource in unique]


def _table(rows: list[tuple[str, str]]) -> str:
    cells = "".join(f"<tr><th>{escape(name)}</th><td><code>{escape(value)}"
                    "</code></td></tr>" for name, value in rows)
    return f"{TABLE_STYLE}<table class='scflab-table'>{cells}</table>"


def _paragraph(text: str) -> str:
    return f"<p style='margin:4px 0'>{rich(text)}</p>"


# The widget.

class RoleWalkthrough(widgets.VBox):
    """SCF's execution-role story for one function, one step at a time.

    `account` defaults to `scflab.sample_account()`; `function` (a
    `Function` of that account, its name in the default namespace, or
    `region/namespace/name`) to the first function with an execution
    role. `step` is the step shown, from 0 (change it with `go`, `next`
    and `back`); `decision` the last decision on the call of the last
    step. A callback never raises: errors appear in the widget and in
    `last_error`.
    """

    step = traitlets.Int(0, read_only=True)
    decision = traitlets.Instance(Decision, allow_none=True, read_only=True)

    message_areas = ("message",)

    def __init__(self, account=None, *, function=None, **kwargs):
        super().__init__(**kwargs)
        self.add_class("scflab-role-walkthrough")
        if account is None:
            from scflab.identity.sample import sample_account

            account = sample_account()
        self.account = account
        self.last_error: Exception | None = None
        self.invocation = None
        self.invoke_error: Exception | None = None
        self._make_controls(function)
        self.children = self._layout()
        self._wire()
        self.invoke()

    # What programs call.

    @property
    def function(self):
        return self.function_picker.value

    @property
    def session(self) -> RoleSession | None:
        """The role session SCF obtained for the last invocation."""
        return self.invocation.session if self.invocation else None

    def invoke(self) -> None:
        """Run the function once, as SCF does, and start from step 1.

        A refusal (SCF could not assume the role) is kept in
        `invoke_error` and told in the steps, not raised.
        """
        self.invocation, self.invoke_error = None, None
        self.set_trait("step", 0)
        try:
            self.invocation = self.account.scf.invoke(self.function)
        except ValueError as refusal:
            self.invoke_error = refusal
        choices = call_choices(self.account, self.invocation)
        self.call.options = choices
        self.call.value = choices[0][1] if choices else None
        self._show()

    def go(self, step: int) -> None:
        """Show step `step` (0 is the first)."""
        if not 0 <= step < len(STEPS):
            raise IndexError(f"there is no step {step + 1}; the steps are "
                             f"1 to {len(STEPS)}")
        self.set_trait("step", step)
        self._show()

    def next(self) -> None:
        """Show the next step; at the last step, stay there."""
        self.go(min(self.step + 1, LAST_STEP))

    def back(self) -> None:
        """Show the step before; at the first, stay there."""
        self.go(max(self.step - 1, 0))

    def advance_clock(self, seconds: float) -> None:
        """Move the account's clock forward and show the step again."""
        self.account.clock.advance(seconds)
        self._show()

    def call_decision(self) -> Decision:
        """Decide the chosen call as code holding the credentials would.

        Without an execution role the code holds none, and the call is
        refused before CAM reads any policy.
        """
        action, resource = self.call.value
        session = self.session
        client = Client.from_credentials(session.credentials, self.account) \
            if session else Client(None, None, cloud=self.account)
        try:
            return client.call(action, resource)
        except AccessDenied as refusal:
            return refusal.decision

    # Building.

    def _make_controls(self, function) -> None:
        W = widgets
        functions = self.account.scf.functions
        choices = [(f"{f.where} ({f.kind}, role: {f.role or 'none'})", f)
                   for f in functions]
        self.function_picker = field(W.Dropdown, "Function",
                                     options=choices, width="44em",
                                     value=self._start(function, functions))
        self.invoke_button = button("Invoke again", "refresh",
                                    "Run the function again: SCF gets "
                                    "fresh credentials")
        self.indicator = W.HTML()
        self.back_button = button("Back", "arrow-left", "Previous step")
        self.next_button = button("Next", "arrow-right", "Next step")
        self.panel = W.HTML()
        self.call = field(W.Dropdown, "Call", width="44em")
        self.clock_minutes = field(W.IntSlider, "Advance by (min)",
                                   min=5, max=720, step=5, value=60,
                                   width="44em")
        self.advance_button = button("Advance clock", "clock-o",
                                     "Move the account's clock forward")
        self.clock_line = W.HTML()
        self.message = W.HTML()

    def _start(self, function, functions):
        """The function to begin with: given, or the first with a role."""
        if function is None:
            with_role = [f for f in functions if f.role]
            return (with_role or list(functions))[0]
        if isinstance(function, str):
            name, *place = reversed(function.split("/"))
            return self.account.scf.function(name, *place)
        if function not in functions:
            raise ValueError(f"function `{function.where}` is not one of "
                             f"account {self.account.uin}'s functions; "
                             "pass its name, or the account it belongs to")
        return function

    def _layout(self) -> list[widgets.Widget]:
        W = widgets
        return [
            W.HBox([self.function_picker, self.invoke_button]),
            self.indicator,
            W.HBox([self.back_button, self.next_button]),
            self.message, self.call, self.panel,
            W.HBox([self.clock_minutes, self.advance_button]),
            self.clock_line,
        ]

    def _wire(self) -> None:
        self.function_picker.observe(self._on_function, "value")
        self.call.observe(self._on_call, "value")
        self.invoke_button.on_click(self._on_invoke)
        self.back_button.on_click(self._on_back)
        self.next_button.on_click(self._on_next)
        self.advance_button.on_click(self._on_advance)

    # Callbacks.

    @guarded()
    def _on_function(self, _change) -> None:
        self.invoke()

    @guarded()
    def _on_invoke(self, _button) -> None:
        self.invoke()

    @guarded()
    def _on_back(self, _button) -> None:
        self.back()

    @guarded()
    def _on_next(self, _button) -> None:
        self.next()

    @guarded()
    def _on_call(self, _change) -> None:
        if self.step == LAST_STEP:
            self._show()

    @guarded()
    def _on_advance(self, _button) -> None:
        self.advance_clock(self.clock_minutes.value * 60)

    # Drawing the current step.

    def _show(self) -> None:
        step = self.step
        self.indicator.value = steps_html(step)
        self.back_button.disabled = step == 0
        self.next_button.disabled = step == LAST_STEP
        self.call.layout.display = None if step == LAST_STEP else "none"
        self.clock_line.value = self._clock_html()
        pages = (self._function_page, self._trust_page, self._assume_page,
                 self._credentials_page, self._delivery_page,
                 self._call_page)
        self.panel.value = pages[step]()

    def _role(self):
        name = self.function.role
        return self.account.roles.get(name) if name else None

    def _function_page(self) -> str:
        function, role = self.function, self._role()
        rows = [("function", function.where), ("kind", function.kind),
                ("resource", str(function.resource)),
                ("execution role", function.role or "none")]
        if role is not None:
            rows += [("role entities", ", ".join(role.entities) or "none"),
                     ("role policies", ", ".join(role.policies) or "none")]
        if role is not None:
            text = "SCF will act as this role for the function's code."
        elif function.role:
            text = (f"Role `{function.role}` no longer exists: SCF cannot "
                    "get credentials for the code.")
        else:
            text = ("Without an execution role SCF assumes nothing, and "
                    "the code gets no credentials at all.")
        return _table(rows) + _paragraph(text)

    def _trust_page(self) -> str:
        role = self._role()
        if role is None:
            return self._missing_role()
        decision = role.trust_decision(SCF_SERVICE)
        intro = _paragraph(
            f"Before STS lets `scf.qcloud.com` assume role `{role.name}`, "
            "the role's trust policy must name it. A service needs no "
            "policy of its own: the trust policy alone decides.")
        document = f"<pre>{escape(role.trust.to_json())}</pre>"
        verdict = decision_html(
            decision, title="scf.qcloud.com may assume the role" if decision
            else "the trust policy does not admit scf.qcloud.com")
        return intro + document + verdict

    def _assume_page(self) -> str:
        session = self.session
        if session is None:
            return self._no_session()
        lifetime = session.credentials.expired_time \
            - int(session.issued_at.timestamp())
        request = [("RoleArn", session.role.arn),
                   ("RoleSessionName", session.session_name),
                   ("DurationSeconds", str(lifetime))]
        answer = [("RequestId", session.request_id),
                  ("ExpiredTime", str(session.credentials.expired_time)),
                  ("Expiration", session.credentials.expiration)]
        return (_paragraph("SCF calls STS AssumeRole as `scf.qcloud.com` "
                           f"at {iso_utc(session.issued_at)}:")
                + _table(request) + _paragraph("STS answers:")
                + _table(answer))

    def _credentials_page(self) -> str:
        session = self.session
        if session is None:
            return self._no_session()
        return (_paragraph("The temporary credentials, masked here as "
                           "everywhere scflab shows them:")
                + _table(session.credentials.lines())
                + self._expiry_html(session))

    def _delivery_page(self) -> str:
        invocation = self.invocation
        if invocation is None:
            return self._no_session()
        delivery = invocation.delivery
        how = ("`context.env[\"TENCENTCLOUD_SECRETID\"]`, as `os.environ`"
               if delivery.channel == "environment variables"
               else "`request.headers[\"X-Scf-Secret-Id\"]` on port 9000")
        given = "" if delivery.credentials_given else (
            " No credential is among them: the function has no execution "
            "role.")
        return (_paragraph(f"A {self.function.kind} function receives "
                           f"them as {delivery.channel}; the code reads "
                           f"{how}.{given}")
                + _table(list(delivery.entries)))

    def _call_page(self) -> str:
        if self.call.value is None:
            return _paragraph("The code made no call, and the account has "
                              "no bucket to offer one on.")
        decision = self.call_decision()
        self.set_trait("decision", decision)
        who = (f"role session `{self.session.session_name}`"
               if self.session else "code without credentials")
        return (_paragraph(f"The code makes this call as {who}; CAM "
                           "decides it now, by the account's clock.")
                + decision_html(decision))

    def _missing_role(self) -> str:
        name = self.function.role
        if name is None:
            return _paragraph("There is no execution role, so there is no "
                              "trust policy to check.")
        return _paragraph(f"The function names role `{name}`, but the "
                          "account has no such role any more: there is no "
                          "trust policy to check.")

    def _no_session(self) -> str:
        if self.invoke_error is not None:
            return (_paragraph("SCF could not get credentials for this "
                               "invocation:")
                    + error_html(self.invoke_error))
        return _paragraph("The function has no execution role: SCF asks "
                          "STS for nothing and hands the code no "
                          "credentials.")

    def _clock_html(self) -> str:
        text = f"The account's clock reads {iso_utc(self.account.clock.now())}"
        session = self.session
        if session is not None:
            text += f"; the credentials expire at " \
                f"{session.credentials.expiration}"
        return f"<div class='scflab-clock'>{rich(text)}.</div>"

    def _expiry_html(self, session: RoleSession) -> str:
        now = self.account.clock.now()
        left = (session.expires_at - now).total_seconds()
        if left > 0:
            return message_html("ok", f"valid for another "
                                f"{duration_text(left)}")
        return message_html("error", f"expired {duration_text(left)} "
                            "ago: every call made with them is refused")
