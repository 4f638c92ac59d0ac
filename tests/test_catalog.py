"""The action catalog: lookup, patterns, suggestions and the shipped data."""

import subprocess
import sys

import pytest

from scflab.catalog import (
    ACCESS_LEVELS, ActionCatalog, ActionInfo, default_catalog)

CATALOG = default_catalog()

SCF_API_ACTIONS = """
    CopyFunction CreateAlias CreateCustomDomain CreateFunction CreateNamespace
    CreateTrigger DeleteAlias DeleteCustomDomain DeleteFunction
    DeleteFunctionVersion DeleteLayerVersion DeleteNamespace
    DeleteProvisionedConcurrencyConfig DeleteReservedConcurrencyConfig
    DeleteTrigger GetAccount GetAlias GetAsyncEventStatus GetCustomDomain
    GetFunction GetFunctionAddress GetFunctionEventInvokeConfig
    GetFunctionLogs GetLayerVersion GetProvisionedConcurrencyConfig
    GetRequestStatus GetReservedConcurrencyConfig Invoke InvokeFunction
    ListAliases ListAsyncEvents ListCustomDomains ListFunctions
    ListLayerVersions ListLayers ListNamespaces ListTriggers
    ListVersionByFunction PublishLayerVersion PublishVersion
    PutProvisionedConcurrencyConfig PutReservedConcurrencyConfig
    PutTotalConcurrencyConfig TerminateAsyncEvent UpdateAlias
    UpdateCustomDomain UpdateFunctionCode UpdateFunctionConfiguration
    UpdateFunctionEventInvokeConfig UpdateNamespace UpdateTrigger
    UpdateTriggerStatus
""".split()


def _demo(name: str, service: str = "demo") -> ActionInfo:
    return ActionInfo(service, name, "read", False, None, "A demo action.")


@pytest.mark.parametrize("written, qualified", [
    ("scf:ListFunctions", "scf:ListFunctions"),
    ("name/scf:ListFunctions", "scf:ListFunctions"),
    ("SCF:listfunctions", "scf:ListFunctions"),
    ("Name/Scf:LISTFUNCTIONS", "scf:ListFunctions"),
    ("name/sts:AssumeRole", "sts:AssumeRole"),
    ("cls:GetTopic", "cls:getTopic"),
    ("cos:getbucketacl", "cos:GetBucketACL"),
])
def test_get_finds_an_action_in_any_spelling(written, qualified):
    """Lookup accepts the `name/` prefix and ignores case."""
    info = CATALOG.get(written)

    assert info is not None
    assert info.qualified == qualified


@pytest.mark.parametrize("written", [
    "scf:List*",
    "*",
    "scf:NoSuchAction",
    "nosuch:ListFunctions",
    "ListFunctions",
    "cos: DeleteBucketPolicy",
    "scf:ListFunctions:extra",
    "",
])
def test_get_returns_none_for_what_names_no_action(written):
    """Patterns, unknown names and malformed text name no action."""
    assert CATALOG.get(written) is None
    assert written not in CATALOG


@pytest.mark.parametrize("action", [
    "scf:InvokeFunction",
    "name/cos:GetObject",
    "CAM:passrole",
    "cdb:DescribeDBInstances",
])
def test_contains_matches_get(action):
    """`in` holds for every action `get` finds."""
    assert action in CATALOG


def test_contains_rejects_non_strings():
    """Only strings can name actions."""
    assert 42 not in CATALOG


def test_expand_scf_list_covers_exactly_the_list_actions():
    """`scf:List*` covers the ten SCF List actions, the legacy one included."""
    names = {info.name for info in CATALOG.expand("scf:List*")}

    assert names == {
        "ListAliases", "ListAsyncEvents", "ListCustomDomains",
        "ListFunctions", "ListLayers", "ListLayerVersions",
        "ListNamespaces", "ListTriggers", "ListVersion",
        "ListVersionByFunction",
    }


@pytest.mark.parametrize("name, covered", [
    ("GetBucket", True),
    ("HeadBucket", True),
    ("PutBucket", True),
    ("DeleteBucket", True),
    ("GetBucketACL", True),
    ("PutBucketNotification", True),
    ("DeleteBucketPolicy", True),
    ("GetObject", False),
    ("GetService", False),
    ("ListMultipartUploads", False),
])
def test_expand_cos_bucket_pattern(name, covered):
    """`cos:*Bucket*` covers the actions with `Bucket` anywhere in the name."""
    names = {info.name for info in CATALOG.expand("cos:*Bucket*")}

    assert (name in names) is covered


def test_expand_cos_bucket_pattern_stays_in_cos():
    """Every action `cos:*Bucket*` covers is a COS bucket action."""
    infos = CATALOG.expand("cos:*Bucket*")

    assert infos
    assert all(info.service == "cos" for info in infos)
    assert all("bucket" in info.name.lower() for info in infos)


@pytest.mark.parametrize("pattern", ["*", "*:*", "name/*"])
def test_expand_everything(pattern):
    """`*` and `*:*` cover every action of every service."""
    assert CATALOG.expand(pattern) == CATALOG.actions()


@pytest.mark.parametrize("pattern, service", [
    ("cos:*", "cos"),
    ("name/cos:*", "cos"),
    ("SCF:*", "scf"),
    ("cmqqueue:*", "cmqqueue"),
])
def test_expand_service_wildcard(pattern, service):
    """`service:*` covers every action of that service and nothing else."""
    assert CATALOG.expand(pattern) == CATALOG.actions(service)


@pytest.mark.parametrize("pattern, expected", [
    ("scf:list*", {"scf:ListFunctions", "scf:ListTriggers"}),
    ("scf:ListFunctions*", {"scf:ListFunctions"}),
    ("scf:*Functions", {"scf:ListFunctions"}),
    ("*:CreateTopic", {"cls:CreateTopic", "cmqtopic:CreateTopic",
                       "ckafka:CreateTopic"}),
    ("cls:get*", {"cls:getTopic", "cls:getLogset"}),
])
def test_expand_includes(pattern, expected):
    """`*` matches any run of characters, the empty run too, in any case."""
    found = {info.qualified for info in CATALOG.expand(pattern)}

    assert expected <= found


@pytest.mark.parametrize("pattern", [
    "scf:ListFunction?",
    "scf:ListFunctions?",
    "scf:List.*",
    "scf:.*",
    "s.f:ListFunctions",
    "nosuch:*",
    "ListFunctions",
    "List*",
])
def test_expand_covers_nothing(pattern):
    """`?` and `.` are literal; unknown services and bare names cover nothing."""
    assert CATALOG.expand(pattern) == []


@pytest.mark.parametrize("pattern, expected", [
    ("demo:Get?Thing", ["Get?Thing"]),
    ("demo:Get.Thing", ["Get.Thing"]),
    ("demo:Get*Thing", ["Get.Thing", "Get?Thing", "GetAThing"]),
])
def test_question_mark_and_dot_match_only_themselves(pattern, expected):
    """A `?` or `.` in a pattern matches that character and no other."""
    catalog = ActionCatalog(
        [_demo("GetAThing"), _demo("Get?Thing"), _demo("Get.Thing")])

    assert [info.name for info in catalog.expand(pattern)] == expected


@pytest.mark.parametrize("written, suggestion", [
    ("scf:ListFunction", "scf:ListFunctions"),
    ("sfc:ListFunctions", "scf:ListFunctions"),
    ("cos: DeleteBucketPolicy", "cos:DeleteBucketPolicy"),
    ("name/sts:AsumeRole", "sts:AssumeRole"),
    ("scf:listfunctions", "scf:ListFunctions"),
    ("cls:GetTopic", "cls:getTopic"),
    ("zzzz:Qqqqqq", None),
])
def test_suggest_names_the_closest_action(written, suggestion):
    """`suggest` offers the nearest known action in Tencent's spelling."""
    assert CATALOG.suggest(written) == suggestion


def test_services_are_the_modelled_ones():
    """The shipped catalog knows exactly the thirteen modelled services."""
    assert CATALOG.services() == [
        "apigw", "cam", "cdb", "ckafka", "cls", "cmqqueue", "cmqtopic",
        "cos", "monitor", "scf", "sts", "tag", "vpc",
    ]


@pytest.mark.parametrize("service, known", [
    ("scf", True), ("SCF", True), ("cmqtopic", True),
    ("sfc", False), ("cvm", False), ("", False),
])
def test_is_known_service(service, known):
    """Services are known when the catalog has an action of theirs."""
    assert CATALOG.is_known_service(service) is known


def test_actions_of_an_unknown_service_is_empty():
    """An unknown service has no actions rather than raising."""
    assert CATALOG.actions("cvm") == []


@pytest.mark.parametrize("name", SCF_API_ACTIONS)
def test_every_scf_api_action_is_known(name):
    """Each action of the SCF API 2018-04-16 is in the catalog."""
    info = CATALOG.get(f"scf:{name}")

    assert info is not None
    assert info.name == name
    assert not info.legacy


@pytest.mark.parametrize("legacy, current", [
    ("UpdateFunction", "UpdateFunctionCode"),
    ("SetTrigger", "CreateTrigger"),
    ("ListVersion", "ListVersionByFunction"),
    ("GetAccountSettings", "GetAccount"),
])
def test_scf_legacy_actions_name_their_successor(legacy, current):
    """The legacy names in SCF's CAM pages are flagged with the current one."""
    info = CATALOG.get(f"scf:{legacy}")

    assert info.legacy
    assert info.legacy_for == current


def test_every_successor_is_a_known_action_of_the_same_service():
    """A legacy action's `legacy_for` names an action of its own service."""
    for info in CATALOG.actions():
        if info.legacy:
            assert f"{info.service}:{info.legacy_for}" in CATALOG


def test_access_levels_are_valid():
    """Every action has one of the four access levels."""
    levels = {info.access for info in CATALOG.actions()}

    assert levels <= set(ACCESS_LEVELS)


def test_resource_type_given_exactly_for_resource_level_actions():
    """Resource-level actions name a resource type; the others name none."""
    for info in CATALOG.actions():
        assert (info.resource_type is not None) is info.resource_level


def test_every_action_has_a_description():
    """Each action says in one line what it does."""
    for info in CATALOG.actions():
        assert info.description.endswith(".")
        assert "\n" not in info.description


@pytest.mark.parametrize("action, resource_level, resource_type", [
    ("scf:ListFunctions", False, None),
    ("scf:GetAccountSettings", False, None),
    ("scf:GetAccount", False, None),
    ("scf:ListNamespaces", False, None),
    ("scf:CreateNamespace", False, None),
    ("scf:CreateFunction", True, "function"),
    ("scf:DeleteFunction", True, "function"),
    ("scf:GetFunction", True, "function"),
    ("scf:UpdateFunction", True, "function"),
    ("scf:SetTrigger", True, "function"),
    ("scf:DeleteTrigger", True, "function"),
    ("scf:ListVersion", True, "function"),
    ("scf:GetFunctionLogs", True, "function"),
    ("scf:InvokeFunction", True, "function"),
    ("scf:CreateTrigger", True, "function"),
    ("scf:DeleteNamespace", True, "namespace"),
    ("cos:GetService", False, None),
    ("cos:GetObject", True, "object"),
    ("cos:PutBucketACL", True, "bucket"),
    ("sts:AssumeRole", True, "role"),
    ("cam:PassRole", True, "role"),
    ("cam:DescribeRoleList", False, None),
    ("cam:ListUsers", False, None),
])
def test_resource_level(action, resource_level, resource_type):
    """Operation-level actions cannot be scoped to a resource."""
    info = CATALOG.get(action)

    assert info.resource_level is resource_level
    assert info.resource_type == resource_type


@pytest.mark.parametrize("action",
                         ["scf:InvokeFunction", "scf:CreateTrigger"])
def test_disputed_actions_carry_a_note(action):
    """Where Tencent's sources disagree, the action says so."""
    assert "sources disagree" in CATALOG.get(action).note


@pytest.mark.parametrize("service, key, present", [
    ("scf", "qcs:ip", True),
    ("scf", "qcs:current_time", True),
    ("scf", "qcs:resource_tag", True),
    ("cam", "qcs:request_tag", True),
    ("cos", "qcs:ip", True),
    ("cos", "cos:versionid", True),
    ("cos", "cos:secure-transport", True),
    ("cos", "cos:response-content-type", True),
    ("cos", "cos:prefix", True),
    ("COS", "cos:prefix", True),
    ("vpc", "vpc:region", True),
    ("sts", "saml:aud", True),
    ("scf", "cos:versionid", False),
    ("cos", "vpc:region", False),
    ("cvm", "qcs:ip", True),
    ("cvm", "cos:versionid", False),
])
def test_condition_keys(service, key, present):
    """A service's keys are the global keys plus its own."""
    keys = CATALOG.condition_keys(service)

    assert isinstance(keys, frozenset)
    assert (key in keys) is present


def test_default_catalog_is_built_once():
    """Every call returns the same catalog."""
    assert default_catalog() is default_catalog()


def test_import_does_not_load_the_data():
    """Importing the module reads no data until `default_catalog()`."""
    code = ("import scflab.catalog as c; "
            "print(c.default_catalog.cache_info().currsize)")

    result = subprocess.run([sys.executable, "-c", code], check=True,
                            capture_output=True, text=True)

    assert result.stdout.strip() == "0"


def test_names_differing_only_in_case_are_rejected():
    """A catalog cannot hold two actions that lookups could not tell apart."""
    with pytest.raises(ValueError, match="differ only in case"):
        ActionCatalog([_demo("GetThing"), _demo("getthing")])


@pytest.mark.parametrize("access, resource_level, resource_type", [
    ("admin", False, None),
    ("read", True, None),
    ("read", False, "function"),
])
def test_action_info_rejects_inconsistent_fields(
        access, resource_level, resource_type):
    """An ActionInfo needs a known access level and a coherent resource."""
    with pytest.raises(ValueError):
        ActionInfo("demo", "Thing", access, resource_level, resource_type,
                   "A demo action.")


def test_qualified_name():
    """`qualified` joins service and name the way a policy writes them."""
    assert CATALOG.get("name/scf:invoke").qualified == "scf:Invoke"
