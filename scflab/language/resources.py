"""Six-segment resource names: `qcs:project:service:region:account:resource`.

`ResourceName` is the value object; `parse` validates the text, the builders
make the names scflab's workbook uses, and `covers` decides whether a policy's
resource pattern names a request's resource.

Empty segments in a policy widen it: an empty service means every product,
an empty region every region, and an empty account the root account that owns
the policy. The project segment is a leftover and takes no part in matching.
Legacy region codes (`gz`, `sh` …) are read as the regions they stand for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scflab.errors import InvalidValue
from scflab.language.wildcard import compile_pattern

__all__ = ["ResourceName", "LEGACY_REGIONS", "VARIABLES", "substitute"]

#: Short region codes of older documents, and the regions scflab reads them as.
LEGACY_REGIONS: dict[str, str] = {
    "gz": "ap-guangzhou",
    "sh": "ap-shanghai",
    "bj": "ap-beijing",
    "cd": "ap-chengdu",
    "cq": "ap-chongqing",
    "hk": "ap-hongkong",
    "sg": "ap-singapore",
    "szjr": "ap-shenzhen-fsi",
    "shjr": "ap-shanghai-fsi",
    "ca": "na-toronto",
    "ge": "eu-frankfurt",
    "usw": "na-siliconvalley",
    "use": "na-ashburn",
    "th": "ap-bangkok",
    "in": "ap-mumbai",
    "kr": "ap-seoul",
    "jp": "ap-tokyo",
}

#: The policy variables CAM documents, allowed in resources and conditions.
VARIABLES = ("${uin}", "${owner_uin}", "${app_id}")

_VARIABLE = re.compile(r"\$\{[^}]*\}")
_SERVICE = re.compile(r"[a-z][a-z0-9_-]*|\*", re.IGNORECASE)
_REGION = re.compile(r"[a-z]{2,}(-[a-z]+)+(-\d+)?|[a-z*-]*\*[a-z*-]*")
_ACCOUNT = re.compile(r"(uin|uid)/(\d+|\*|\$\{(uin|owner_uin|app_id)\})")
_EXAMPLE = "qcs::scf:ap-guangzhou:uin/100000000001:" \
    "namespace/default/function/hello"


@dataclass(frozen=True)
class ResourceName:
    """A parsed resource name; `str()` gives back its text."""

    project: str
    service: str
    region: str
    account: str
    resource: str

    @classmethod
    def parse(cls, text: str) -> ResourceName:
        """Read a six-segment name; raise `InvalidValue` saying what is wrong.

        `*` is accepted and stands for every resource.
        """
        if text == "*":
            return cls("", "", "", "", "*")
        _check_text(text)
        parts = text.split(":", 5)
        if len(parts) < 6:
            raise InvalidValue(
                "InvalidParameter.ResourceError",
                f"resource `{text}` has {len(parts)} segments, not six",
                f"write `qcs:project:service:region:account:resource`, "
                f"such as `{_EXAMPLE}`, or `*`")
        _, project, service, region, account, resource = parts
        _check_segments(text, service, region, account, resource)
        return cls(project, service, region, account, resource)

    def __str__(self) -> str:
        if self.is_everything:
            return "*"
        return ":".join(("qcs", self.project, self.service, self.region,
                         self.account, self.resource))

    @property
    def is_everything(self) -> bool:
        return self.resource == "*" and not (
            self.service or self.region or self.account)

    @property
    def canonical_region(self) -> str:
        return LEGACY_REGIONS.get(self.region, self.region)

    @property
    def owner(self) -> str | None:
        """The uin or app id in the account segment, or None."""
        kind, _, value = self.account.partition("/")
        return value if kind in ("uin", "uid") and value.isdigit() else None

    def covers(self, other: ResourceName,
               owner_accounts: tuple[str, ...] | None = None) -> bool:
        """Whether this policy pattern names the request resource `other`.

        `owner_accounts` are the ways of writing the account that owns the
        policy (`uin/100000000001`, `uid/1250000000`): an empty account
        segment stands for them. Without them it matches any account.
        """
        if self.is_everything:
            return True
        if other.is_everything:
            return False
        return (_segment(self.service, other.service, True)
                and _segment(self.canonical_region, other.canonical_region)
                and _account(self.account, other.account, owner_accounts)
                and compile_pattern(self.resource)(other.resource))

    # Builders for the names the workbook uses.

    @classmethod
    def scf_function(cls, uin: str, function: str, *,
                     region: str = "ap-guangzhou",
                     namespace: str = "default") -> ResourceName:
        """`qcs::scf:<region>:uin/<uin>:namespace/<ns>/function/<name>`."""
        return cls("", "scf", region, f"uin/{uin}",
                   f"namespace/{namespace}/function/{function}")

    @classmethod
    def cos_object(cls, app_id: str, bucket: str, key: str = "*", *,
                   region: str = "ap-guangzhou") -> ResourceName:
        """`qcs::cos:<region>:uid/<appid>:<bucket>-<appid>/<key>`.

        `bucket` may be given with or without its `-<appid>` suffix.
        """
        if not bucket.endswith(f"-{app_id}"):
            bucket = f"{bucket}-{app_id}"
        return cls("", "cos", region, f"uid/{app_id}",
                   f"{bucket}/{key.lstrip('/')}")

    @classmethod
    def cam_role(cls, uin: str, name: str) -> ResourceName:
        """`qcs::cam::uin/<uin>:roleName/<name>`."""
        return cls("", "cam", "", f"uin/{uin}", f"roleName/{name}")

    @classmethod
    def cam_user(cls, root_uin: str, uin: str) -> ResourceName:
        """`qcs::cam::uin/<root>:uin/<uin>`."""
        return cls("", "cam", "", f"uin/{root_uin}", f"uin/{uin}")


def substitute(text: str, values: dict[str, str]) -> str | None:
    """Replace policy variables; None when one of them has no value.

    `values` maps `${uin}`-style names to their values for this request.
    """
    if "${" not in text:
        return text
    missing = False

    def replace(match: re.Match) -> str:
        nonlocal missing
        value = values.get(match.group(0))
        if value is None:
            missing = True
            return ""
        return value

    result = _VARIABLE.sub(replace, text)
    return None if missing else result


def _check_text(text) -> None:
    if not isinstance(text, str) or not text:
        raise InvalidValue("InvalidParameter.ResourceError",
                           "a resource is empty",
                           f"write a six-segment name such as `{_EXAMPLE}`, "
                           "or `*`")
    if text != text.strip() or " " in text:
        raise InvalidValue("InvalidParameter.ResourceError",
                           f"resource `{text}` contains spaces",
                           f"remove them: `{text.replace(' ', '')}`")
    if not text.startswith("qcs:"):
        raise InvalidValue("InvalidParameter.ResourceQcsError",
                           f"resource `{text}` does not start with `qcs:`",
                           f"resource names start with `qcs:`, such as "
                           f"`{_EXAMPLE}`")
    for variable in _VARIABLE.findall(text):
        if variable not in VARIABLES:
            raise InvalidValue("InvalidParameter.ResourceError",
                               f"unknown policy variable `{variable}` in "
                               f"`{text}`",
                               "the variables are " + ", ".join(
                                   f"`{v}`" for v in VARIABLES))


def _check_segments(text, service, region, account, resource) -> None:
    if service and not _SERVICE.fullmatch(service):
        raise InvalidValue("InvalidParameter.ResourceError",
                           f"`{service}` in `{text}` is not a service",
                           "the third segment is a product such as `scf` "
                           "or `cos`, or empty for every product")
    if region and region not in LEGACY_REGIONS \
            and not _REGION.fullmatch(region):
        raise InvalidValue("InvalidParameter.ResourceRegionError",
                           f"`{region}` in `{text}` is not a region",
                           "the fourth segment is a region such as "
                           "`ap-guangzhou`, or empty for every region")
    if account and account != "*" and not _ACCOUNT.fullmatch(account):
        raise InvalidValue("InvalidParameter.ResourceUinError",
                           f"`{account}` in `{text}` is not an account",
                           "the fifth segment is `uin/<uin>` or "
                           "`uid/<appid>`, or empty for the owner's root "
                           "account")
    if not resource:
        raise InvalidValue("InvalidParameter.ResourceError",
                           f"resource `{text}` has an empty last segment",
                           "name the resource as `type/id`, such as "
                           "`function/hello`, or `*` for all")


def _segment(pattern: str, value: str, ignore_case: bool = False) -> bool:
    return not pattern or compile_pattern(pattern, ignore_case)(value)


def _account(pattern: str, value: str, owners: tuple[str, ...] | None
             ) -> bool:
    if not pattern:
        return owners is None or value in owners or not value
    return compile_pattern(pattern)(value)
