"""The access matrix of the sample account."""

import pytest

import scflab
from scflab.analysis.matrix import SYMBOLS, access_matrix, styled_matrix

DELETE, UPDATE, LIST = ("scf:DeleteFunction", "scf:UpdateFunctionCode",
                        "scf:ListFunctions")


@pytest.fixture(scope="module")
def account():
    return scflab.sample_account()


@pytest.fixture(scope="module")
def matrix(account):
    return access_matrix(account)


KNOWN_CELLS = [
    ("kai", DELETE, "default/Test1", "allow"),
    ("kai", DELETE, "default/thumbnailer", "implicit_deny"),
    ("kai", UPDATE, "default/Test1", "implicit_deny"),
    ("mei", UPDATE, "default/thumbnailer", "allow"),
    ("mei", UPDATE, "prod/report-builder", "explicit_deny"),
    ("mei", LIST, "*", "allow"),
    ("ci-bot", UPDATE, "prod/render-image", "allow"),
    ("ci-bot", UPDATE, "default/Test1", "implicit_deny"),
    ("lena", "scf:GetFunction", "prod/render-image", "allow"),
    ("lena", DELETE, "default/Test2", "implicit_deny"),
    ("ops_admin (role)", DELETE, "prod/report-builder", "allow"),
    ("thumbnail_writer (role)", LIST, "*", "implicit_deny"),
]


@pytest.mark.parametrize("identity, action, resource, outcome", KNOWN_CELLS)
def test_known_cells(matrix, identity, action, resource, outcome):
    """Cells of the sample account's matrix hold the expected outcome."""
    assert matrix.loc[identity, (action, resource)] == outcome


def test_every_cell_is_the_accounts_decision(account):
    """Each cell is what `Account.authorize` decides for it."""
    table = access_matrix(account, long=True)
    functions = {f"{f.namespace}/{f.name}": str(f.resource)
                 for f in account.scf.functions}

    for row in table.to_dict("records"):
        name = row["identity"].removesuffix(" (role)")
        identity = account.role(name) if name != row["identity"] \
            else account.user(name)
        resource = functions.get(row["resource"], "*")
        decision = account.authorize(identity, row["action"], resource)
        assert decision.outcome.value == row["outcome"]


def test_rows_are_users_then_roles(matrix, account):
    """By default rows are the sub-users and collaborators, then roles."""
    expected = list(account.users) + [f"{r} (role)" for r in account.roles]

    assert list(matrix.index) == expected


def test_operation_level_action_has_one_column(matrix):
    """An operation-level action is shown once, on `*`."""
    assert list(matrix[LIST].columns) == ["*"]
    assert len(matrix[DELETE].columns) == 5


def test_chosen_identities_actions_and_resources(account):
    """Identities, actions and resources may be chosen, root included."""
    resource = "qcs::cam::uin/100000000001:roleName/thumbnail_writer"

    matrix = access_matrix(account, ["root", account.user("mei"), "lena"],
                           ["name/cam:PassRole"], [resource])

    assert matrix.index.tolist() == ["root", "mei", "lena"]
    column = ("name/cam:PassRole", "roleName/thumbnail_writer")
    assert matrix[column].tolist() == ["allow", "allow", "implicit_deny"]


def test_long_form_gives_reasons(account):
    """The long form has one row per decision, with deciding statements."""
    table = access_matrix(account, ["mei"], [UPDATE], long=True)

    assert list(table.columns) == ["identity", "action", "resource",
                                   "outcome", "reason"]
    denied = table[table["outcome"] == "explicit_deny"]
    assert denied["reason"].str.contains("ProtectProduction").all()


def test_resource_labels_stay_full_when_short_ones_collide(account):
    """Two resources with the same last segment keep their full names."""
    resources = ["qcs::scf:ap-guangzhou:uin/100000000001:"
                 "namespace/default/function/Test1",
                 "qcs::scf:ap-shanghai:uin/100000000001:"
                 "namespace/default/function/Test1"]

    matrix = access_matrix(account, ["kai"], [DELETE], resources)

    assert list(matrix[DELETE].columns) == resources


def test_styled_view_shows_symbols_and_colours(matrix):
    """The styled view writes a symbol and words in each cell, and
    colours it."""
    html = styled_matrix(matrix).to_html()

    for text in SYMBOLS.values():
        assert text in html
    assert "background-color" in html
