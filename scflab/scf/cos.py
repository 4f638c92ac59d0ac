"""The few parts of Cloud Object Storage that SCF lessons touch.

A bucket is named `<name>-<appid>` and lives in one region; its objects
are keys with bodies. Every operation is first decided by CAM for the
identity that asks (`by`, the root account unless given), on the
resource `qcs::cos:<region>:uid/<appid>:<name>-<appid>/<key>`:

| operation       | action                    | resource        |
|-----------------|---------------------------|-----------------|
| create_bucket   | `cos:PutBucket`           | the bucket, `/*`|
| put_object      | `cos:PutObject`           | the object      |
| get_object      | `cos:GetObject`           | the object      |
| delete_object   | `cos:DeleteObject`        | the object      |
| list_objects    | `cos:GetBucket`           | the bucket, `/*`|

A refusal raises `AccessDenied` (code `AccessDenied`, as COS answers).
Not modelled: bucket policies and ACLs, cross-account access, versions,
multipart uploads. A missing bucket or key raises `CosError`.
"""

from __future__ import annotations

import re
from html import escape
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Mapping

from scflab.errors import _CodedError
from scflab.identity.errors import AccessDenied
from scflab.language.resources import ResourceName

if TYPE_CHECKING:
    from scflab.identity.account import Account

__all__ = ["Bucket", "CosService", "CosError"]

_BUCKET = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?")


class CosError(_CodedError):
    """COS refused a request for a reason other than permission."""


class Bucket:
    """A bucket: its short name, owner's app id, region and objects."""

    def __init__(self, name: str, app_id: str, region: str):
        self.name = name
        self.app_id = app_id
        self.region = region
        self.objects: dict[str, Any] = {}
        self.notifications: list[str] = []

    @property
    def full_name(self) -> str:
        """`uploads-1250000000`."""
        return f"{self.name}-{self.app_id}"

    def resource(self, key: str = "*") -> ResourceName:
        """The CAM resource of `key` (or of the whole bucket, `*`)."""
        return ResourceName.cos_object(self.app_id, self.name, key,
                                       region=self.region)

    def read(self, key: str) -> Any:
        """The body stored under `key`; `CosError` `NoSuchKey` if none."""
        if key not in self.objects:
            raise CosError("NoSuchKey",
                           f"bucket `{self.full_name}` has no object "
                           f"`{key}`", "list the bucket to see its keys")
        return self.objects[key]

    def keys(self, prefix: str = "") -> list[str]:
        return sorted(k for k in self.objects if k.startswith(prefix))

    def __repr__(self) -> str:
        return (f"Bucket('{self.full_name}', region='{self.region}', "
                f"objects={len(self.objects)})")


class CosService:
    """An account's buckets, with every request decided by CAM."""

    def __init__(self, account: Account):
        self.account = account
        self._buckets: dict[str, Bucket] = {}

    @property
    def buckets(self) -> Mapping[str, Bucket]:
        """Buckets by short name (read-only)."""
        return MappingProxyType(self._buckets)

    def bucket(self, name: str) -> Bucket:
        """The bucket called `name`, with or without its `-<appid>`."""
        short = name.removesuffix(f"-{self.account.app_id}")
        if short in self._buckets:
            return self._buckets[short]
        known = ", ".join(f"`{b}`" for b in self._buckets) or "none yet"
        raise CosError("NoSuchBucket", f"there is no bucket `{name}` in "
                       f"account {self.account.uin}",
                       f"its buckets: {known}")

    def create_bucket(self, name: str, region: str = "ap-guangzhou", *,
                      by=None) -> Bucket:
        """Create a bucket; its creator gets no access by creating it."""
        _check_bucket_name(name)
        if name in self._buckets:
            raise CosError("BucketAlreadyExists",
                           f"bucket `{name}` already exists",
                           "choose another name")
        bucket = Bucket(name, self.account.app_id, region)
        by = self._require(by, "cos:PutBucket", bucket.resource())
        self._buckets[name] = bucket
        self.account.record_creator(bucket.resource(), by)
        return bucket

    def put_object(self, bucket: str, key: str, body: Any, *, by=None
                   ) -> None:
        found = self.bucket(bucket)
        self._require(by, "cos:PutObject", found.resource(key))
        found.objects[key] = body

    def get_object(self, bucket: str, key: str, *, by=None) -> Any:
        found = self.bucket(bucket)
        self._require(by, "cos:GetObject", found.resource(key))
        return found.read(key)

    def delete_object(self, bucket: str, key: str, *, by=None) -> None:
        found = self.bucket(bucket)
        self._require(by, "cos:DeleteObject", found.resource(key))
        found.objects.pop(key, None)

    def list_objects(self, bucket: str, prefix: str = "", *, by=None
                     ) -> list[str]:
        found = self.bucket(bucket)
        self._require(by, "cos:GetBucket", found.resource())
        return found.keys(prefix)

    def _require(self, by, action: str, resource: ResourceName):
        identity = by or self.account.root
        decision = self.account.authorize(identity, action, resource)
        if not decision:
            raise AccessDenied(decision, "AccessDenied")
        return identity

    def __repr__(self) -> str:
        return f"CosService(buckets={list(self._buckets)})"

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{escape(b.full_name)}</td><td>{b.region}</td>"
            f"<td>{escape(', '.join(b.keys()) or '(empty)')}</td></tr>"
            for b in self._buckets.values())
        return ("<table><tr><th>bucket</th><th>region</th><th>objects</th>"
                f"</tr>{rows}</table>")


def _check_bucket_name(name: Any) -> None:
    if isinstance(name, str) and _BUCKET.fullmatch(name):
        return
    raise CosError("InvalidBucketName",
                   f"bucket name `{name}` is not lowercase letters, digits "
                   "and `-`", "write the name without `-<appid>`, such as "
                   "`uploads`")
