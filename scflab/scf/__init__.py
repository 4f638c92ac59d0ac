"""Serverless Cloud Function as CAM sees it: roles, triggers, invocation.

- `service`: an account's SCF (`account.scf`): service authorization and
  SCF_QcsRole, namespaces, functions, execution roles, triggers;
- `functions`: functions, namespaces, triggers and SCF's naming rules;
- `runtime`: one invocation, and how credentials reach the code;
- `client`: how function code calls other services with them;
- `cos`: the few parts of COS the lessons touch (`account.cos`).
"""

from scflab.scf.client import Call, Client, Cloud
from scflab.scf.cos import Bucket, CosError
from scflab.scf.functions import CosCode, Function, Namespace, Trigger
from scflab.scf.runtime import Context, ImageRequest, Invocation
from scflab.scf.service import QCS_ROLE, UNCHANGED, ScfService

__all__ = ["Bucket", "Call", "Client", "Cloud", "Context", "CosCode",
           "CosError", "Function", "ImageRequest", "Invocation",
           "Namespace", "QCS_ROLE", "ScfService", "Trigger", "UNCHANGED"]
